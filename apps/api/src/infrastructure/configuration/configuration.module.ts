import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { APP_CONFIG, CATALOG, type AppConfig } from './app-config.js';

/** The configuration and catalog validated before Nest starts (start.ts), for every module. */
@Global()
@Module({})
export class ConfigurationModule {
  static forRoot(config: AppConfig, catalog: MirrorDefinition[]): DynamicModule {
    return {
      module: ConfigurationModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CATALOG, useValue: catalog },
      ],
      exports: [APP_CONFIG, CATALOG],
    };
  }
}
