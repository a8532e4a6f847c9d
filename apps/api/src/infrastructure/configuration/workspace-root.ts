import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the repository root. This file sits at the same depth in
 * `src/` and `dist/`, so the relative hop is valid for tests and builds alike.
 */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
