import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { LabMirror } from './lab-mirror.js';

/**
 * Renders lab mirrors as a mirrorwatch catalog (README, interface
 * contract: a YAML list of `name`, `url`, optional `provider`, `notes`,
 * `visibility`, `ca`), the file `MIRRORWATCH_CATALOG` points at.
 */
export function renderCatalogYaml(mirrors: readonly LabMirror[]): string {
  const entries = mirrors.map((mirror) => ({
    name: mirror.name,
    url: mirror.url,
    provider: mirror.provider,
    notes: mirror.notes,
    visibility: mirror.visibility,
    ...(mirror.caPath ? { ca: mirror.caPath } : {}),
  }));
  return `# mirrorwatch test lab catalog: every URL is a local process, gone when the lab stops.\n${stringify(entries)}`;
}

export async function writeCatalogFile(path: string, mirrors: readonly LabMirror[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderCatalogYaml(mirrors));
}
