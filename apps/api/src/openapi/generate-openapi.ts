import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module.js';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { buildOpenApiDocument, OPENAPI_FILE, serializeOpenApi } from '#infrastructure/http/openapi-document.js';

/**
 * The OpenAPI document of the real AppModule, built without starting anything:
 * Nest's preview mode resolves the module graph and routes but instantiates no
 * provider (no database, no scheduler).
 */
export async function renderOpenApi(): Promise<string> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(loadConfig({} as NodeJS.ProcessEnv), []), {
    preview: true,
    logger: false,
  });
  app.setGlobalPrefix('api');
  try {
    return serializeOpenApi(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

// `npm run openapi:generate` runs this file directly.
if (import.meta.url === `file://${process.argv[1]}`) {
  renderOpenApi()
    .then(async (text) => {
      await writeFile(OPENAPI_FILE, text);
      process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`openapi generation failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
