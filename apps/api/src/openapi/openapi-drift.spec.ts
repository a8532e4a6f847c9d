import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '#infrastructure/http/openapi-document.js';
import { renderOpenApi } from './generate-openapi.js';

describe('docs/openapi.json', () => {
  it('matches the controllers (run `npm run openapi:generate` after changing the API)', async () => {
    const committed = await readFile(OPENAPI_FILE, 'utf8');
    expect(JSON.parse(await renderOpenApi())).toEqual(JSON.parse(committed));
  });

  it('documents the exports and admin routes', async () => {
    const document = JSON.parse(await renderOpenApi()) as { paths: Record<string, unknown> };
    for (const route of [
      '/api/export/{format}',
      '/api/install.sh',
      '/api/recommended-daemon.json',
      '/api/admin/mirrors',
      '/api/admin/mirrors/{id}/probe',
      '/api/admin/recommended-daemon.json',
    ]) {
      expect(Object.keys(document.paths)).toContain(route);
    }
  });
});
