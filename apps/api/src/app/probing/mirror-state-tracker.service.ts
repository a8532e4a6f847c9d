import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FailureClass, MirrorDefinition, ProbePhase, ProbeResult } from '@mirrorwatch/domain';
import { DEFAULT_STATUS_POLICY, nextMirrorState, percentile, type MirrorState, type StatusPolicy } from '@mirrorwatch/scoring';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { MirrorStateRepository } from '../../services/persistence/mirror-state.repository.js';
import { ProbeOutcomeRepository, type IncidentChange, type ProbeRowInput } from '../../services/persistence/probe-outcome.repository.js';
import { toMirrorState, toMirrorStateRecord } from './mirror-state-mapping.js';
import { FreshnessService, type ServedDigest } from './freshness.service.js';
import { CoverageService } from '../image-coverage/coverage.service.js';
import { LOCAL_VANTAGE_ID, ProbeRepository } from '../../services/persistence/probe.repository.js';
import { MAIN_PROBE_FILTER } from './probed-image.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { NotificationService } from '../notifications/notification.service.js';
import { transitionEvents } from '../notifications/transition-events.js';

/**
 * The longest quiet time a 429's Retry-After can buy: a mirror that answers
 * "come back in a year" (or sends a number too big for a Date) is still
 * probed at least this often, so it can recover.
 */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** Manifest times kept per mirror to tell "slow" from "up" between ranking rebuilds. */
const RECENT_LATENCY_SAMPLES = 60;

/** Phases of a deep probe that move image content rather than metadata. */
const BLOB_PHASES: ReadonlySet<ProbePhase> = new Set<ProbePhase>(['config', 'blob']);

interface TrackedMirror {
  state: MirrorState | null;
  retryNotBefore: number | null;
  /** Failure of the latest deep probe in its blob phases; cleared by a deep probe that passes. */
  blobFailure: FailureClass | null;
  blobFailureDetail: string | null;
  recentManifestMs: number[];
  lastDigest: string | null;
  lastDigestChangeAt: Date | null;
}

/**
 * Owns each mirror's status between probes: applies hysteresis (scoring's
 * `nextMirrorState`), honours Retry-After, folds the allowlist verdict into
 * every light probe, persists the state and opens or closes incidents.
 */
@Injectable()
export class MirrorStateTracker {
  private readonly logger = new Logger(MirrorStateTracker.name);
  private readonly tracked = new Map<string, TrackedMirror>();
  private loaded = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly states: MirrorStateRepository,
    private readonly probes: ProbeRepository,
    private readonly outcomes: ProbeOutcomeRepository,
    private readonly freshness: FreshnessService,
    private readonly coverage: CoverageService,
    private readonly metrics: MetricsService,
    private readonly notifier: NotificationService,
  ) {}

  /**
   * Loads persisted states once per leadership term, so a restart keeps
   * statuses and Retry-After windows. A blob failure is taken from the latest
   * stored deep probe: a replica that takes over keeps confirming it with deep
   * probes instead of letting light probes recover the mirror.
   */
  async load(): Promise<void> {
    if (this.loaded) return;
    const latestAllowed = Date.now() + MAX_RETRY_AFTER_SECONDS * 1000;
    const [stored, latestDeep] = await Promise.all([this.states.getAll(), this.probes.latestByMirror({ ...MAIN_PROBE_FILTER, kind: 'deep' })]);
    for (const record of stored.values()) {
      const storedRetry = record.retryNotBefore?.getTime() ?? Number.NaN;
      const deep = latestDeep.get(record.mirrorId);
      const blobFailed = deep !== undefined && BLOB_PHASES.has(deep.failedPhase ?? 'ping');
      this.tracked.set(record.mirrorId, {
        state: toMirrorState(record),
        // A window stored by an older version without the cap (or an unreadable date) is brought within it.
        retryNotBefore: Number.isFinite(storedRetry) ? Math.min(storedRetry, latestAllowed) : null,
        blobFailure: blobFailed ? deep.failureClass : null,
        blobFailureDetail: blobFailed ? deep.detail : null,
        recentManifestMs: [],
        lastDigest: record.lastDigest,
        lastDigestChangeAt: record.lastDigestChangeAt,
      });
    }
    this.loaded = true;
  }

  /**
   * Forgets what memory holds and loads the database's states again: called
   * when this replica becomes the scheduler, since another replica may have
   * probed (and opened or closed incidents) while this one followed.
   */
  async reload(): Promise<void> {
    this.tracked.clear();
    this.loaded = false;
    await this.load();
  }

  mustWait(mirrorId: string, now: number): boolean {
    const retryNotBefore = this.tracked.get(mirrorId)?.retryNotBefore ?? null;
    return retryNotBefore !== null && retryNotBefore > now;
  }

  /**
   * Applies one probe outcome and stores it in one transaction with its
   * probe rows (`rows`). Memory changes only after the commit, so a failed
   * write leaves the tracker where the database is.
   */
  async record(mirror: MirrorDefinition, result: ProbeResult, rows: ProbeRowInput[]): Promise<MirrorState> {
    const current = this.entry(mirror.id);
    const entry: TrackedMirror = { ...current, recentManifestMs: [...current.recentManifestMs] };
    if (result.ok && result.timings.manifestMs !== null) {
      entry.recentManifestMs.push(result.timings.manifestMs);
      if (entry.recentManifestMs.length > RECENT_LATENCY_SAMPLES) entry.recentManifestMs.shift();
    }
    if (result.kind === 'deep') {
      const blobFailed = BLOB_PHASES.has(result.failedPhase ?? 'ping');
      entry.blobFailure = blobFailed ? result.failureClass : null;
      entry.blobFailureDetail = blobFailed ? result.detail : null;
    }
    const { ok, failureClass } = this.effectiveOutcome(mirror.id, result, entry);
    const previous = entry.state;
    const next = nextMirrorState(
      previous,
      { at: result.startedAt, ok, failureClass, recentManifestP50Ms: percentile(entry.recentManifestMs, 50) },
      this.policy(),
    );
    entry.state = next;
    entry.retryNotBefore = retryNotBefore(result, this.config.probeIntervalSeconds);
    const digest = result.manifest?.digest ?? null;
    if (digest !== null && digest !== entry.lastDigest) {
      entry.lastDigest = digest;
      entry.lastDigestChangeAt = result.startedAt;
    }
    const detail = result.ok && entry.blobFailure !== null ? entry.blobFailureDetail : result.detail;
    const incident = incidentChange(mirror.id, previous, next, result.startedAt, failureClass, detail);
    await this.outcomes.commit({
      mirrorId: mirror.id,
      vantageId: LOCAL_VANTAGE_ID,
      probes: rows,
      state: toMirrorStateRecord(mirror.id, next, {
        retryNotBefore: entry.retryNotBefore === null ? null : new Date(entry.retryNotBefore),
        lastDigest: entry.lastDigest,
        lastDigestChangeAt: entry.lastDigestChangeAt,
      }),
      incident,
    });
    this.tracked.set(mirror.id, entry);
    if (incident?.kind === 'open') this.logger.warn({ msg: 'mirror down', mirror: mirror.id, failureClass });
    if (incident?.kind === 'close') this.logger.log({ msg: 'mirror recovered', mirror: mirror.id, status: next.status });
    // Both return at once: metrics are in memory, notifications are queued off the probe path.
    this.metrics.observeProbe(mirror, LOCAL_VANTAGE_ID, result);
    for (const event of transitionEvents(mirror, previous, next, result)) this.notifier.notify(event);
    return next;
  }

  /** What each mirror serves for the probed tag, for the freshness verdict. */
  servedDigests(): ServedDigest[] {
    const served: ServedDigest[] = [];
    for (const [mirrorId, entry] of this.tracked) {
      if (entry.lastDigest === null || entry.lastDigestChangeAt === null) continue;
      const working = entry.state?.status === 'up' || entry.state?.status === 'degraded';
      served.push({ mirrorId, digest: entry.lastDigest, since: entry.lastDigestChangeAt, working });
    }
    return served;
  }

  /** Whether the mirror's next light probe should be a deep one, to confirm or clear a blob failure quickly. */
  needsDeepConfirmation(mirrorId: string): boolean {
    return (this.tracked.get(mirrorId)?.blobFailure ?? null) !== null;
  }

  /**
   * A light probe that pulled the manifest fine can still describe a mirror
   * that fails `docker pull`: its blobs stalled or were corrupt at the last
   * deep probe (a failure until a deep probe passes), it serves an old digest
   * past the grace period (stale: degraded and ineligible), or its coverage
   * checks found it refuses every non-library image with evidence
   * (allowlisted: degraded, still recommended after the full mirrors).
   */
  private effectiveOutcome(mirrorId: string, result: ProbeResult, entry: TrackedMirror): { ok: boolean; failureClass: FailureClass | null } {
    if (!result.ok) return { ok: false, failureClass: result.failureClass };
    if (entry.blobFailure !== null) return { ok: false, failureClass: entry.blobFailure };
    if (this.freshness.isStale(mirrorId)) return { ok: true, failureClass: 'stale' };
    if (this.coverage.of(mirrorId)?.verdict === 'library_only') return { ok: true, failureClass: 'allowlisted' };
    return { ok: true, failureClass: null };
  }

  private entry(mirrorId: string): TrackedMirror {
    return (
      this.tracked.get(mirrorId) ?? { state: null, retryNotBefore: null, blobFailure: null, blobFailureDetail: null, recentManifestMs: [], lastDigest: null, lastDigestChangeAt: null }
    );
  }

  private policy(): StatusPolicy {
    return { ...DEFAULT_STATUS_POLICY, failuresToDown: this.config.failuresToDown, successesToUp: this.config.successesToUp };
  }
}

/**
 * When a rate-limited mirror may be probed again: its Retry-After, capped at
 * MAX_RETRY_AFTER_SECONDS; a 429 without one still earns one quiet interval.
 * Always a finite time, so the stored Date is valid.
 */
export function retryNotBefore(result: ProbeResult, probeIntervalSeconds: number): number | null {
  if (result.failureClass !== 'rate_limited') return null;
  const asked = result.retryAfterSeconds ?? probeIntervalSeconds;
  // NaN or negative: not a usable answer; Infinity and huge values: the cap.
  const waitSeconds = !Number.isNaN(asked) && asked >= 0 ? Math.min(asked, MAX_RETRY_AFTER_SECONDS) : probeIntervalSeconds;
  return result.startedAt.getTime() + Math.max(0, result.durationMs) + waitSeconds * 1000;
}

/** The incident a state change opens (went down) or closes (left down). */
export function incidentChange(
  mirrorId: string,
  previous: MirrorState | null,
  next: MirrorState,
  at: Date,
  failureClass: FailureClass | null,
  detail: string | null,
): IncidentChange {
  const wasDown = previous?.status === 'down';
  if (!wasDown && next.status === 'down') return { kind: 'open', incident: { mirrorId, startedAt: at, failureClass: failureClass ?? 'internal', detail } };
  if (wasDown && next.status !== 'down') return { kind: 'close', mirrorId, endedAt: at };
  return null;
}
