import { type DynamicModule, Global, Module } from '@nestjs/common';
import { WebHostStatus } from './web-host-status.js';

/** Hands start.ts's dashboard status to the health endpoint. */
@Global()
@Module({})
export class WebHostModule {
  static forRoot(status: WebHostStatus): DynamicModule {
    return { module: WebHostModule, global: true, providers: [{ provide: WebHostStatus, useValue: status }], exports: [WebHostStatus] };
  }
}
