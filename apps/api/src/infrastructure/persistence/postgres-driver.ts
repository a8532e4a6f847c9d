import type pg from 'pg';

/**
 * node-postgres, loaded on first use. A SQLite install never needs it, and
 * importing it (with pg-types and its parsers) is part of every start-up
 * otherwise: bench/startup measured the product's module loading, where it
 * showed up among the larger libraries. Type-only imports of `pg` stay free.
 */
export async function loadPostgresDriver(): Promise<typeof pg> {
  return (await import('pg')).default;
}
