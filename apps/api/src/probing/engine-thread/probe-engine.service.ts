import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ProbeEngineThread } from './probe-engine-thread.js';

/** The one probe engine thread of this process, stopped with the application. */
@Injectable()
export class ProbeEngineService extends ProbeEngineThread implements OnApplicationShutdown {
  constructor() {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
