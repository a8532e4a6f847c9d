import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { MetricsService } from './metrics.service.js';
import { loggingOptions } from './logging.options.js';

/** The Prometheus registry, and the pino logger (nestjs-pino) that start.ts hands to Nest. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logLevel: string): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot(loggingOptions(logLevel))],
      providers: [MetricsService],
      exports: [MetricsService],
    };
  }
}
