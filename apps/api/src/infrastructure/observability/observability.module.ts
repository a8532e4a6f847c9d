import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service.js';

/** The Prometheus registry; logging is set up in main.ts, before Nest exists. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class ObservabilityModule {}
