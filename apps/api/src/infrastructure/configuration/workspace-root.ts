import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file only the repository root holds (and the product needs at run time, for its migrations). */
const ROOT_MARKER = path.join('prisma', 'models.prisma');

/**
 * Absolute path of the repository root: the nearest folder above this module
 * that holds prisma/models.prisma. Searched for rather than counted in `../`
 * hops because this code runs from src/ (tests), from dist/ (tsc output) and
 * from the single-file bundle apps/api/dist/main.js (see apps/api/bundle.mjs),
 * each at a different depth.
 */
function findWorkspaceRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ROOT_MARKER))) return `${dir}${path.sep}`;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the mirrorwatch checkout above ${start} (no ${ROOT_MARKER})`);
  }
}

export const WORKSPACE_ROOT = findWorkspaceRoot(path.dirname(fileURLToPath(import.meta.url)));
