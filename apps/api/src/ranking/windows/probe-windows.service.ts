import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { MAIN_PROBE_FILTER, MAIN_PROBE_REPOSITORIES } from '#infrastructure/configuration/probed-image.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeOutcomeRepository } from '#infrastructure/persistence/probe-outcome.repository.js';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';
import { ProbeRepository, type ProbeWindowRow } from '#infrastructure/persistence/probe.repository.js';
import { ProbeWindows, STABILITY_WINDOW_MS, type ProbeWindowFacts } from './probe-windows.js';

/**
 * The window is loaded a quarter of an hour per statement: one statement of a
 * day's rows would block the synchronous SQLite driver, and one of an hour's
 * (6,000 rows at 100 mirrors) took 20-177 ms on a month's seed on a busy machine.
 */
const LOAD_CHUNK_MS = 15 * 60_000;
/** Rows added to the windows between two turns of the event loop (a few milliseconds of work). */
const ADD_SLICE_ROWS = 2_000;
/** The last chunk reaches past any probe (the open end of the window). */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

type Phase =
  { kind: 'off' } | { kind: 'loading'; term: number; buffered: ProbeRecord[] } | { kind: 'live'; term: number; windows: ProbeWindows };

/**
 * The leader's rolling windows of its own (local vantage) probes, so the
 * ranking rebuild after each cycle reads them from memory instead of
 * grouping a day of rows again (issue 10). The database stays the source of
 * truth: the windows are loaded from it when this replica becomes the
 * scheduler (the only writer of local probes from then on), follow every
 * committed batch, and are dropped when it stops being one. A follower, and
 * the leader until its windows are loaded, reads the database as before.
 * Agents' results (remote vantages) are never in them.
 */
@Injectable()
export class ProbeWindowsService {
  private readonly logger = new Logger(ProbeWindowsService.name);
  private phase: Phase = { kind: 'off' };
  private terms = 0;
  private readonly main = new Set(MAIN_PROBE_REPOSITORIES);

  constructor(
    private readonly probes: ProbeRepository,
    private readonly mirrors: MirrorRepository,
    outcomes: ProbeOutcomeRepository,
    leadership: SchedulerLeadership,
  ) {
    outcomes.onStored((records) => this.stored(records));
    mirrors.onDeleted((mirrorId) => this.phase.kind === 'live' && this.phase.windows.forget(mirrorId));
    leadership.subscribe({
      // Not awaited: the scheduler starts probing meanwhile, and what it stores is buffered.
      gained: async () => void this.load(),
      lost: async () => {
        this.phase = { kind: 'off' };
      },
    });
  }

  /** The windows' facts as of `now`; null when the database must be read (not the leader, still loading, `now` too early). */
  read(now: Date): ProbeWindowFacts | null {
    return this.phase.kind === 'live' ? this.phase.windows.read(now) : null;
  }

  /** Loads the windows from the database; resolves when they are live (or the term ended meanwhile). */
  async load(now: Date = new Date()): Promise<void> {
    const term = ++this.terms;
    const buffered: ProbeRecord[] = [];
    this.phase = { kind: 'loading', term, buffered };
    const since = new Date(now.getTime() - STABILITY_WINDOW_MS);
    try {
      const ids = (await this.mirrors.listAll()).map((mirror) => mirror.id);
      const [light, deep, verified] = await Promise.all([
        this.probes.latestByMirror({ ...MAIN_PROBE_FILTER, vantageId: LOCAL_VANTAGE_ID, kind: 'light' }),
        this.probes.latestByMirror({ ...MAIN_PROBE_FILTER, vantageId: LOCAL_VANTAGE_ID, kind: 'deep' }),
        this.probes.latestSuccessfulDeepByMirror(ids, LOCAL_VANTAGE_ID),
      ]);
      const rows: ProbeWindowRow[] = [];
      for (let from = since.getTime(); from < now.getTime(); from += LOAD_CHUNK_MS) {
        const to = from + LOAD_CHUNK_MS >= now.getTime() ? END_OF_TIME : new Date(from + LOAD_CHUNK_MS);
        rows.push(...(await this.probes.windowRowsBetween(LOCAL_VANTAGE_ID, new Date(from), to)));
        if (!this.isLoading(term)) return;
      }
      const windows = new ProbeWindows(since, (repository) => repository !== null && this.main.has(repository));
      // A day of rows (144,000 at 100 mirrors) took 0.7 s in one go on a month's seed: the loop turns between slices.
      for (let offset = 0; offset < rows.length; offset += ADD_SLICE_ROWS) {
        for (const row of rows.slice(offset, offset + ADD_SLICE_ROWS)) windows.add(row);
        await nextLoopTurn();
        if (!this.isLoading(term)) return;
      }
      for (const record of [...light.values(), ...deep.values(), ...verified.values()]) windows.offerLatest(record);
      // Batches committed while loading may be in the rows read too: each probe counts once.
      const read = new Set(rows.map((row) => row.id));
      for (const record of buffered) if (!read.has(record.id)) windows.addRecord(record);
      if (!this.isLoading(term)) return;
      this.phase = { kind: 'live', term, windows };
      this.logger.log({ msg: 'probe windows loaded', probes: windows.size() });
    } catch (error) {
      // The database path keeps working; the next term tries again.
      if (this.isLoading(term)) this.phase = { kind: 'off' };
      this.logger.warn({ msg: 'probe windows not loaded; the ranking reads the database', err: String(error) });
    }
  }

  private stored(records: readonly ProbeRecord[]): void {
    const phase = this.phase;
    if (phase.kind === 'off') return;
    for (const record of records) {
      if (record.vantageId !== LOCAL_VANTAGE_ID) continue;
      if (phase.kind === 'loading') {
        phase.buffered.push(record);
        continue;
      }
      phase.windows.addRecord(record);
    }
  }

  /** Whether the load of `term` is still wanted (leadership was not lost, no newer load began). */
  private isLoading(term: number): boolean {
    return this.phase.kind === 'loading' && this.phase.term === term;
  }
}
