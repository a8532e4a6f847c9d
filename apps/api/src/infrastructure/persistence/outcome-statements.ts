import type { MirrorStateRecord } from './mirror-state.repository.js';
import type { Sql, SqlTags } from './prisma-client.factory.js';
import type { probeColumns } from './probe-record.js';

type ProbeColumns = ReturnType<typeof probeColumns>;

/**
 * Every column probeColumns fills: a Record over its keys, so a column added
 * there and not here (or named here and not there) fails to compile.
 */
const PROBE_COLUMNS: Record<keyof ProbeColumns, true> = {
  mirrorId: true,
  vantageId: true,
  kind: true,
  repository: true,
  reference: true,
  startedAt: true,
  durationMs: true,
  ok: true,
  failureClass: true,
  failedPhase: true,
  detail: true,
  httpStatus: true,
  dnsMs: true,
  connectMs: true,
  tlsMs: true,
  pingTtfbMs: true,
  tokenMs: true,
  manifestMs: true,
  blobTtfbMs: true,
  blobTransferMs: true,
  manifestDigest: true,
  mediaType: true,
  platformDigest: true,
  blobDigest: true,
  blobBytes: true,
  blobVerified: true,
  blobRedirects: true,
  throughputBytesPerSec: true,
  retryAfterSeconds: true,
};
const PROBE_COLUMN_NAMES = Object.keys(PROBE_COLUMNS) as (keyof ProbeColumns)[];

/** Every column of a MirrorStateRecord, the same way; mirrorId (the key) first. */
const STATE_COLUMNS: Record<keyof MirrorStateRecord, true> = {
  mirrorId: true,
  status: true,
  degradedReason: true,
  consecutiveFailures: true,
  consecutiveSuccesses: true,
  since: true,
  lastFailureClass: true,
  lastProbeAt: true,
  lastIntegrityFailureAt: true,
  retryNotBefore: true,
  lastDigest: true,
  lastDigestChangeAt: true,
};
const STATE_COLUMN_NAMES = Object.keys(STATE_COLUMNS) as (keyof MirrorStateRecord)[];

/** A column list for raw SQL: every name double-quoted (the schema's names are mixed case). */
export const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/** The SET list of an upsert that replaces these columns with the row it tried to insert. */
export const replacedBy = (names: readonly string[]): string => names.map((name) => `"${name}" = excluded."${name}"`).join(', ');

/**
 * The two statements of a cycle's write that run for every probe, as raw SQL
 * through Prisma's own tags (values always bound; the same text runs on
 * SQLite and PostgreSQL). Through the model API each was a pass of Prisma's
 * query compiler over the whole argument tree plus the client's argument and
 * result mapping: 57 ms of CPU to write a cycle of 50 outcomes against 13 ms
 * this way (issue 10). The driver adapter binds the values exactly as it does
 * for the model API's statements (dates in the same text form on SQLite,
 * booleans as 0/1), so rows written either way read back alike.
 */
export class OutcomeStatements {
  constructor(private readonly tags: SqlTags) {}

  /** One multi-row INSERT of probe rows, answering the stored rows (ids included) in any order. */
  insertProbes(rows: readonly ProbeColumns[]): Sql {
    const { sql, join, raw } = this.tags;
    const values = rows.map((row) => sql`(${join(PROBE_COLUMN_NAMES.map((name) => row[name]))})`);
    return sql`INSERT INTO "Probe" (${raw(quoted(PROBE_COLUMN_NAMES))}) VALUES ${join(values)} RETURNING *`;
  }

  /**
   * The newest state of each mirror, inserted or replacing the stored one
   * (one statement; `updatedAt` is what Prisma's @updatedAt would set). At
   * most one state per mirror: PostgreSQL refuses to update a row twice in one statement.
   */
  upsertStates(states: readonly MirrorStateRecord[], now: Date): Sql {
    const { sql, join, raw } = this.tags;
    const values = states.map((state) => sql`(${join([...STATE_COLUMN_NAMES.map((name) => state[name]), now])})`);
    const assignments = replacedBy([...STATE_COLUMN_NAMES.filter((name) => name !== 'mirrorId'), 'updatedAt']);
    return sql`INSERT INTO "MirrorState" (${raw(quoted([...STATE_COLUMN_NAMES, 'updatedAt']))}) VALUES ${join(values)} ON CONFLICT ("mirrorId") DO UPDATE SET ${raw(assignments)}`;
  }
}
