import path from 'node:path';
import { DEFAULT_DATABASE_URL } from '../../../../../prisma/defaults.mjs';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';

/** The two databases mirrorwatch supports; also the name of each generated client and migrations folder. */
export type DatabaseProvider = 'sqlite' | 'postgresql';

/** Embedded default (README, Configuration): SQLite under data/ at the repository root. */
export { DEFAULT_DATABASE_URL };

export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/**
 * Prisma cannot take the datasource provider from an environment variable, so
 * the URL scheme picks the generated client, the driver adapter and the
 * migrations folder.
 */
export function databaseProviderFromUrl(url: string): DatabaseProvider {
  const trimmed = url.trim();
  if (trimmed.startsWith('file:')) {
    if (trimmed.length === 'file:'.length) throw new DatabaseUrlError('DATABASE_URL "file:" names no SQLite file');
    return 'sqlite';
  }
  if (/^postgres(ql)?:\/\/./i.test(trimmed)) return 'postgresql';
  throw new DatabaseUrlError(
    `DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL); got ${describe(trimmed)}`,
  );
}

/**
 * Makes a SQLite URL absolute, relative paths being relative to the repository
 * root (not the process's cwd), so `npm start` from any folder opens the same
 * file. PostgreSQL URLs pass through unchanged.
 */
export function resolveDatabaseUrl(url: string = DEFAULT_DATABASE_URL, root: string = WORKSPACE_ROOT): string {
  const trimmed = url.trim();
  if (databaseProviderFromUrl(trimmed) !== 'sqlite') return trimmed;
  return `file:${sqliteFilePath(trimmed, root)}`;
}

/** The file behind a `file:` URL (query string, e.g. `?connection_limit=1`, dropped). */
export function sqliteFilePath(url: string, root: string = WORKSPACE_ROOT): string {
  const withoutScheme = url.trim().slice('file:'.length).replace(/\?.*$/, '');
  const file = withoutScheme.startsWith('//') ? new URL(url.trim()).pathname : withoutScheme;
  return path.resolve(root, file);
}

/** Shows what was wrong without echoing a password. */
function describe(url: string): string {
  if (url === '') return 'an empty value';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  return scheme ? `a "${scheme}:" URL` : 'a value with no URL scheme';
}
