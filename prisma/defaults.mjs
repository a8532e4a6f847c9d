// Defaults shared by the Prisma CLI wrapper (prisma/cli-config.ts,
// prisma/scripts/generate.mjs) and the API (apps/api/src/infrastructure/persistence),
// so the two cannot drift apart. Plain JavaScript: the CLI loads it as-is.
import { createRequire } from 'node:module';
import path from 'node:path';

/** Embedded default (README, Configuration): SQLite under data/, relative to the repository root. */
export const DEFAULT_DATABASE_URL = 'file:./data/mirrorwatch.db';

/** The Prisma CLI's entry point, run with `node` (no `npx`: nothing may be downloaded). */
export function prismaCliPath() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
}
