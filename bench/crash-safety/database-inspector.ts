import Database from 'better-sqlite3';
import pg from 'pg';

/** What the crash harness reads from the product's database between kills (never while it writes schema). */
export interface DatabaseInspector {
  /** Highest probe id and how many rows there are up to it: the committed rows a kill must not lose. */
  committedProbes(): Promise<{ maxId: number; count: number }>;
  /** How many probe rows have an id at most `maxId` now. */
  probesUpTo(maxId: number): Promise<number>;
  /** `ok`, or what SQLite's integrity_check reported (PostgreSQL: the server's own recovery; its catalog is checked by reading every table). */
  integrity(): Promise<string>;
  /** Mirrors whose state and open incidents disagree (down ⇔ exactly one open incident). */
  incidentMismatches(): Promise<string[]>;
  /** Copies of one main-image probe row spread over [from, to): rollup work for every boot. */
  seedProbes(rows: number, from: Date, to: Date): Promise<number>;
  close(): Promise<void>;
}

const STATE_VS_INCIDENTS = `
  SELECT s."mirrorId" AS "mirrorId", s."status" AS "status",
         (SELECT count(*) FROM "Incident" i WHERE i."mirrorId" = s."mirrorId" AND i."endedAt" IS NULL) AS "open"
  FROM "MirrorState" s`;
const ORPHAN_OPEN_INCIDENTS = `
  SELECT i."mirrorId" AS "mirrorId" FROM "Incident" i
  WHERE i."endedAt" IS NULL AND NOT EXISTS (SELECT 1 FROM "MirrorState" s WHERE s."mirrorId" = i."mirrorId" AND s."status" = 'down')`;

function mismatches(rows: { mirrorId: string; status: string; open: number | string }[], orphans: { mirrorId: string }[]): string[] {
  const found: string[] = [];
  for (const row of rows) {
    const open = Number(row.open);
    if (row.status === 'down' ? open !== 1 : open !== 0) found.push(`${row.mirrorId}: status ${row.status} with ${open} open incident(s)`);
  }
  for (const orphan of orphans) found.push(`${orphan.mirrorId}: an open incident while not down`);
  return [...new Set(found)];
}

/**
 * A connection per call, closed at once: a handle kept open between calls
 * would sit beside the product's own migration and writes for the whole run.
 */
export function sqliteInspector(file: string): DatabaseInspector {
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 10000');
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    async committedProbes() {
      const row = withDb(
        (db) =>
          db.prepare('SELECT coalesce(max(id), 0) AS maxId, count(*) AS count FROM "Probe"').get() as { maxId: number; count: number },
      );
      return { maxId: row.maxId, count: row.count };
    },
    async probesUpTo(maxId) {
      return withDb((db) => (db.prepare('SELECT count(*) AS count FROM "Probe" WHERE id <= ?').get(maxId) as { count: number }).count);
    },
    async integrity() {
      const rows = withDb((db) => db.pragma('integrity_check') as { integrity_check: string }[]);
      return rows.map((row) => row.integrity_check).join('; ');
    },
    async incidentMismatches() {
      return withDb((db) => mismatches(db.prepare(STATE_VS_INCIDENTS).all() as never, db.prepare(ORPHAN_OPEN_INCIDENTS).all() as never));
    },
    async seedProbes(rows, from, to) {
      return withDb((db) => {
        const template = db.prepare(`SELECT * FROM "Probe" WHERE repository = 'library/alpine' AND ok = 1 ORDER BY id LIMIT 1`).get() as
          Record<string, unknown> | undefined;
        if (!template) throw new Error('no probe row to copy yet');
        const columns = Object.keys(template).filter((column) => column !== 'id');
        const insert = db.prepare(
          `INSERT INTO "Probe" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        const asStored = (ms: number): unknown => (typeof template['startedAt'] === 'number' ? ms : new Date(ms).toISOString());
        const step = (to.getTime() - from.getTime()) / rows;
        db.transaction(() => {
          for (let i = 0; i < rows; i++)
            insert.run(...columns.map((c) => (c === 'startedAt' ? asStored(from.getTime() + i * step) : template[c])));
        })();
        return rows;
      });
    },
    async close() {},
  };
}

export async function postgresInspector(url: string): Promise<DatabaseInspector> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await client.query(text, values)).rows as T[];
  return {
    async committedProbes() {
      const [row] = await query<{ maxId: string; count: string }>('SELECT coalesce(max(id), 0) AS "maxId", count(*) AS count FROM "Probe"');
      return { maxId: Number(row?.maxId ?? 0), count: Number(row?.count ?? 0) };
    },
    async probesUpTo(maxId) {
      const [row] = await query<{ count: string }>('SELECT count(*) AS count FROM "Probe" WHERE id <= $1', [maxId]);
      return Number(row?.count ?? 0);
    },
    async integrity() {
      // PostgreSQL recovers from its WAL on restart; reading every table through its indexes is the check left to us.
      for (const table of ['Mirror', 'Probe', 'MirrorState', 'Incident', 'ProbeRollup']) await query(`SELECT count(*) FROM "${table}"`);
      return 'ok';
    },
    async incidentMismatches() {
      return mismatches(await query(STATE_VS_INCIDENTS), await query(ORPHAN_OPEN_INCIDENTS));
    },
    async seedProbes(rows, from, to) {
      const columns = (
        await query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = 'Probe' AND column_name <> 'id'`,
        )
      ).map((row) => row.column_name);
      const list = columns.map((c) => `"${c}"`).join(', ');
      const select = columns
        .map((c) => (c === 'startedAt' ? `$1::timestamp + (g * $2::float8) * interval '1 millisecond'` : `t."${c}"`))
        .join(', ');
      const stepMs = (to.getTime() - from.getTime()) / rows;
      const result = await client.query(
        `INSERT INTO "Probe" (${list}) SELECT ${select} FROM generate_series(0, $3::int - 1) g,
           (SELECT * FROM "Probe" WHERE repository = 'library/alpine' AND ok ORDER BY id LIMIT 1) t`,
        [from.toISOString(), stepMs, rows],
      );
      // No template row yet means nothing was inserted: report that, so the caller tries again.
      if ((result.rowCount ?? 0) === 0) throw new Error('no probe row to copy yet');
      return result.rowCount ?? 0;
    },
    async close() {
      await client.end();
    },
  };
}
