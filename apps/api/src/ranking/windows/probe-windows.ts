import type { ProbeKind } from '@mirrorwatch/domain';
import type { SuccessCounts } from '#infrastructure/persistence/probe.repository.js';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';
import { ProbeSeries, type WindowProbe } from './probe-series.js';

const HOUR_MS = 3_600_000;
/** Speed is judged on the last hour, stability on the last day (README, "What it does"); the same spans as MirrorFactsReader's. */
export const SPEED_WINDOW_MS = HOUR_MS;
export const STABILITY_WINDOW_MS = 24 * HOUR_MS;

/** What the ranking reads of the probes, per mirror id: the answers of MirrorFactsReader's probe queries. */
export interface ProbeWindowFacts {
  latestLight: Map<string, ProbeRecord>;
  latestDeep: Map<string, ProbeRecord>;
  latestSuccessfulDeep: Map<string, ProbeRecord>;
  manifestLatencies: Map<string, number[]>;
  counts: Map<string, SuccessCounts>;
  integrityFailures: Map<string, number>;
  timeouts: Map<string, number>;
  connectTimeouts: Map<string, number>;
}

interface MirrorWindow {
  series: ProbeSeries;
  latest: Record<ProbeKind, ProbeRecord | null>;
  latestSuccessfulDeep: ProbeRecord | null;
}

/** `candidate` if it started later than `current` (or at the same time: it was stored later). */
function newest(current: ProbeRecord | null, candidate: ProbeRecord): ProbeRecord {
  return current === null || candidate.startedAt.getTime() >= current.startedAt.getTime() ? candidate : current;
}

/**
 * The rolling windows the ranking needs (24 h counts, the hour's manifest
 * latencies, the latest probe per kind and the latest verified blob), kept
 * per mirror from the probes of one vantage as they are stored. Answers what
 * the database would for the same probes, without reading them again
 * every cycle (issue 10).
 */
export class ProbeWindows {
  private readonly mirrors = new Map<string, MirrorWindow>();
  /** The window only moves forward: a read from before this would need probes already forgotten. */
  private evictedBefore: number;

  constructor(
    /** Probes started before this were not loaded. */
    loadedSince: Date,
    private readonly isMainRepository: (repository: string | null) => boolean,
  ) {
    this.evictedBefore = loadedSince.getTime();
  }

  /** Adds a stored probe (loaded, or just committed) to its mirror's windows. */
  add(probe: Omit<WindowProbe, 'main'> & { mirrorId: string; repository: string | null }): void {
    if (probe.startedAt.getTime() < this.evictedBefore) return;
    this.windowOf(probe.mirrorId).series.add({ ...probe, main: this.isMainRepository(probe.repository) });
  }

  /** A probe just stored: counted, and kept if it is its mirror's latest. */
  addRecord(record: ProbeRecord): void {
    this.add({ ...record, manifestMs: record.timings.manifestMs });
    this.offerLatest(record);
  }

  /** Keeps `record` as its mirror's latest of its kind (main image) or latest verified blob, when it is newer. */
  offerLatest(record: ProbeRecord): void {
    const window = this.windowOf(record.mirrorId);
    if (this.isMainRepository(record.repository)) window.latest[record.kind] = newest(window.latest[record.kind], record);
    if (record.kind === 'deep' && record.ok) window.latestSuccessfulDeep = newest(window.latestSuccessfulDeep, record);
  }

  /** A mirror deleted (its probes went with it). */
  forget(mirrorId: string): void {
    this.mirrors.delete(mirrorId);
  }

  /** The facts as of `now`, or null when `now` lies before what was already forgotten. */
  read(now: Date): ProbeWindowFacts | null {
    const stabilitySince = now.getTime() - STABILITY_WINDOW_MS;
    if (stabilitySince < this.evictedBefore) return null;
    this.evictedBefore = stabilitySince;
    const speedSince = now.getTime() - SPEED_WINDOW_MS;
    const facts: ProbeWindowFacts = {
      latestLight: new Map(),
      latestDeep: new Map(),
      latestSuccessfulDeep: new Map(),
      manifestLatencies: new Map(),
      counts: new Map(),
      integrityFailures: new Map(),
      timeouts: new Map(),
      connectTimeouts: new Map(),
    };
    for (const [mirrorId, window] of this.mirrors) {
      window.series.evictBefore(stabilitySince);
      if (window.latest.light) facts.latestLight.set(mirrorId, window.latest.light);
      if (window.latest.deep) facts.latestDeep.set(mirrorId, window.latest.deep);
      if (window.latestSuccessfulDeep) facts.latestSuccessfulDeep.set(mirrorId, window.latestSuccessfulDeep);
      const latencies = window.series.manifestLatenciesSince(speedSince);
      if (latencies.length > 0) facts.manifestLatencies.set(mirrorId, latencies);
      const counts = window.series.counts();
      // Absent, as in the database's GROUP BY answers, when the window holds nothing of the kind.
      if (counts.probes > 0) facts.counts.set(mirrorId, { probes: counts.probes, successes: counts.successes });
      if (counts.integrityFailures > 0) facts.integrityFailures.set(mirrorId, counts.integrityFailures);
      if (counts.timeouts > 0) facts.timeouts.set(mirrorId, counts.timeouts);
      if (counts.connectTimeouts > 0) facts.connectTimeouts.set(mirrorId, counts.connectTimeouts);
    }
    return facts;
  }

  /** Probes held, all mirrors together (metrics, tests). */
  size(): number {
    let size = 0;
    for (const window of this.mirrors.values()) size += window.series.size;
    return size;
  }

  private windowOf(mirrorId: string): MirrorWindow {
    let window = this.mirrors.get(mirrorId);
    if (!window) {
      window = { series: new ProbeSeries(), latest: { light: null, deep: null }, latestSuccessfulDeep: null };
      this.mirrors.set(mirrorId, window);
    }
    return window;
  }
}
