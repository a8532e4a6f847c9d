import { Injectable, Logger } from '@nestjs/common';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { MAIN_PROBE_FILTER, MAIN_PROBE_REPOSITORIES } from '#infrastructure/configuration/probed-image.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeOutcomeRepository } from '#infrastructure/persistence/probe-outcome.repository.js';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';
import { ProbeRepository, type ProbeWindowRow } from '#infrastructure/persistence/probe.repository.js';
import { ProbeWindows, STABILITY_WINDOW_MS, type ProbeWindowFacts } from './probe-windows.js';
import { TimedPageSize } from './timed-page-size.js';
import { DutyCycle } from '../rollups/duty-cycle.js';

/**
 * Rows per statement while loading. Each page is read and mapped on the
 * serving thread (on SQLite the statement itself runs there too) and the loop
 * turns between pages, so a health check that arrives meanwhile waits for one
 * page: pages are sized by their wall time (TimedPageSize), a target of a few
 * milliseconds, within these bounds.
 */
const LOAD_PAGE = { min: 50, max: 1_000, first: 200, targetMs: 10 } as const;
/**
 * Share of the wall time the load may keep the serving thread busy: it rests
 * after each page as long as the page took. Unpaced, the thread was busy for
 * the whole load (5-10 s on a month's seed), a CPU hog to the kernel's
 * scheduler, so whenever the probe engine, the dashboard's process or the
 * rollup thread also wanted a core a health check waited in line for one
 * (30-85 ms, issue 10). Resting, it wakes as an interactive thread does and
 * gets a core first. Measured on a month's seed, three runs each: the
 * stretches over 45 ms of start-up and load summed 130-351 ms against
 * 596-969 unpaced (waiting for a core 7-118 against 244-377), and the load
 * took 8.3-9.1 s against 6.2-8.1 (not twice: unpaced, much of it was waiting
 * for a core too).
 */
const LOAD_BUSY_PERCENT = 50;
/** The window's open end reaches past any probe. */
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
  private openStartUp!: () => void;
  /**
   * Settles once the first ranking is built (startUpFinished). A term gained
   * at start-up loads its windows after that: the day of rows would otherwise
   * share the CPU and the connection pool with the first ranking, which the
   * port waits for (issue 16), and until the windows are live the ranking
   * reads the database anyway.
   */
  private readonly startUp = new Promise<void>((resolve) => (this.openStartUp = resolve));

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
      gained: async () => void this.load(undefined, { after: this.startUp }),
      lost: async () => {
        this.phase = { kind: 'off' };
      },
    });
  }

  /** The windows' facts as of `now`; null when the database must be read (not the leader, still loading, `now` too early). */
  read(now: Date): ProbeWindowFacts | null {
    return this.phase.kind === 'live' ? this.phase.windows.read(now) : null;
  }

  /** The first ranking is built: terms gained since start-up may load now. */
  startUpFinished(): void {
    this.openStartUp();
  }

  /**
   * Loads the windows from the database; resolves when they are live (or the
   * term ended meanwhile). Probes stored from the call on are buffered, also
   * while waiting for `after`; `now` defaults to when the reading begins.
   */
  async load(now?: Date, options: { after?: Promise<void>; pageRows?: number } = {}): Promise<void> {
    const term = ++this.terms;
    const buffered: ProbeRecord[] = [];
    this.phase = { kind: 'loading', term, buffered };
    await options.after;
    if (!this.isLoading(term)) return;
    const until = now ?? new Date();
    const since = new Date(until.getTime() - STABILITY_WINDOW_MS);
    // A fixed size when asked for one (tests walk many small pages).
    const pageSize = new TimedPageSize(options.pageRows ? { ...LOAD_PAGE, min: options.pageRows, max: options.pageRows } : LOAD_PAGE);
    try {
      const ids = (await this.mirrors.listAll()).map((mirror) => mirror.id);
      const [light, deep, verified] = await Promise.all([
        this.probes.latestByMirror({ ...MAIN_PROBE_FILTER, vantageId: LOCAL_VANTAGE_ID, kind: 'light' }),
        this.probes.latestByMirror({ ...MAIN_PROBE_FILTER, vantageId: LOCAL_VANTAGE_ID, kind: 'deep' }),
        this.probes.latestSuccessfulDeepByMirror(ids, LOCAL_VANTAGE_ID),
      ]);
      // Each page goes into the windows as it arrives: a day of rows (144,000 at 100 mirrors) held in one array
      // first grew the heap by tens of megabytes at start-up, and every major collection of it stopped the thread.
      const windows = new ProbeWindows(since, (repository) => repository !== null && this.main.has(repository));
      const read = new Set<number>();
      const loadStarted = performance.now();
      let pages = 0;
      // Tests asking for fixed pages load unpaced: no rests to wait out.
      const pace = new DutyCycle(options.pageRows ? 100 : LOAD_BUSY_PERCENT);
      for (let last: ProbeWindowRow | null = null; ;) {
        const pageRows = pageSize.next;
        const started = performance.now();
        const page = await pace.slice(async () => {
          const rows = await this.probes.windowRowsPage(LOCAL_VANTAGE_ID, { from: since, to: END_OF_TIME }, last, pageRows);
          for (const row of rows) {
            windows.add(row);
            read.add(row.id);
          }
          pageSize.took(performance.now() - started);
          return rows;
        });
        if (!this.isLoading(term)) return;
        pages += 1;
        last = page[page.length - 1] ?? null;
        if (page.length < pageRows) break;
      }
      for (const record of [...light.values(), ...deep.values(), ...verified.values()]) windows.offerLatest(record);
      // Batches committed while loading may be in the rows read too: each probe counts once.
      for (const record of buffered) if (!read.has(record.id)) windows.addRecord(record);
      if (!this.isLoading(term)) return;
      this.phase = { kind: 'live', term, windows };
      this.logger.log({ msg: 'probe windows loaded', probes: windows.size(), pages, ms: Math.round(performance.now() - loadStarted) });
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
