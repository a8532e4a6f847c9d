import type { NestExpressApplication } from '@nestjs/platform-express';

/** HTTP settings shared by main.ts and the tests that boot the real app. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix('api');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.enableShutdownHooks();
}
