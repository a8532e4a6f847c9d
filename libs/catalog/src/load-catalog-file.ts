import { readFile } from 'node:fs/promises';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { CatalogError } from './catalog-error.js';
import { parseCatalog } from './parse-catalog.js';

/** Reads and parses a catalog file; a missing or unreadable file is a `CatalogError` naming the path. */
export async function loadCatalogFile(path: string): Promise<MirrorDefinition[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`;
    throw new CatalogError({ source: path }, reason, { cause: error });
  }
  return parseCatalog(text, path);
}
