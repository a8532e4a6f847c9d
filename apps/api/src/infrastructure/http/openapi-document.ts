import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { WORKSPACE_ROOT } from '#infrastructure/configuration/workspace-root.js';
import { byCodeUnits } from '@mirrorwatch/domain';

export const OPENAPI_UI_PATH = 'api/docs';
/** Committed copy of the document; a test fails when it drifts from the code (`npm run openapi:generate`). */
export const OPENAPI_FILE = path.join(WORKSPACE_ROOT, 'docs', 'openapi.json');

function productVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** The OpenAPI document of every controller in `app`, built from decorators (no CLI plugin: SWC and tsc give the same). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('mirrorwatch')
    .setDescription(
      'Docker Hub registry mirror monitoring: status, ranking, exports for dockerd/containerd/Podman/k3s, admin API. Prometheus metrics are served at /metrics (outside /api).',
    )
    .setVersion(productVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Stable text for the committed file: sorted paths so route registration order does not matter. */
export function serializeOpenApi(document: OpenAPIObject): string {
  const paths = Object.fromEntries(Object.entries(document.paths).sort(([a], [b]) => byCodeUnits(a, b)));
  return `${JSON.stringify({ ...document, paths }, null, 2)}\n`;
}

/** Swagger UI at /api/docs, the JSON at /api/docs-json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app));
}
