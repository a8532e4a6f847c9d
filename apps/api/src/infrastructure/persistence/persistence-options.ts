export interface PersistenceOptions {
  /** file:... (SQLite) or postgres(ql)://... ; relative SQLite paths are relative to the repository root. */
  databaseUrl: string;
  /** Run `prisma migrate deploy` before connecting (default true; tests that migrate themselves pass false). */
  migrateOnStart?: boolean;
  /** Upper bound for the start-up migration (default 120 s). */
  migrationTimeoutMs?: number;
}

export const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');
