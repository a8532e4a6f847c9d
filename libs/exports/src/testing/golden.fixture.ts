import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/', import.meta.url));

/**
 * Compares `actual` with `__golden__/<name>`. Run with UPDATE_GOLDEN=1 to
 * (re)write the files after an intended change, then review the diff.
 */
export function expectGolden(name: string, actual: string): void {
  const path = `${GOLDEN_DIR}${name}`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The mirror list every golden file is rendered from: messy spellings, an http mirror and a duplicate. */
export const SAMPLE_MIRRORS = [
  'https://docker.m.daocloud.io/',
  'HTTPS://Docker.1ms.run:443',
  'http://127.0.0.1:5001',
  'https://docker.m.daocloud.io',
];

export const SAMPLE_NORMALIZED = ['https://docker.m.daocloud.io', 'https://docker.1ms.run', 'http://127.0.0.1:5001'];
