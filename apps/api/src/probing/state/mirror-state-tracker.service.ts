import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';
import {
  BLOB_PHASES,
  DEFAULT_STATUS_POLICY,
  MAX_RETRY_AFTER_SECONDS,
  trackProbe,
  UNTRACKED_MIRROR,
  type MirrorState,
  type StatusPolicy,
  type TrackedMirror,
} from '@mirrorwatch/scoring';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { MAIN_PROBE_FILTER } from '#infrastructure/configuration/probed-image.js';
import { MirrorStateRepository } from '#infrastructure/persistence/mirror-state.repository.js';
import {
  ProbeOutcomeRepository,
  type ProbeOutcomeBatch,
  type ProbeRowInput,
} from '#infrastructure/persistence/probe-outcome.repository.js';
import { toMirrorState, toMirrorStateRecord } from '#infrastructure/persistence/mirror-state-mapping.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { FreshnessService, type ServedDigest } from '../freshness/freshness.service.js';
import { CoverageService } from '../coverage/coverage.service.js';
import { MirrorStateEvents } from './mirror-state-events.js';

/**
 * Owns each mirror's status between probes. The decision is scoring's
 * `trackProbe` (hysteresis, Retry-After, blob failures, digests); this class
 * feeds it what freshness and coverage know, persists the state with its
 * probe rows and incident in one transaction, and announces the change on
 * MirrorStateEvents, where metrics and notifications subscribe.
 */
@Injectable()
export class MirrorStateTracker {
  private readonly logger = new Logger(MirrorStateTracker.name);
  private tracked = new Map<string, TrackedMirror>();
  private loaded = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly states: MirrorStateRepository,
    private readonly probes: ProbeRepository,
    private readonly outcomes: ProbeOutcomeRepository,
    private readonly freshness: FreshnessService,
    private readonly coverage: CoverageService,
    private readonly events: MirrorStateEvents,
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
    const [stored, latestDeep] = await Promise.all([
      this.states.getAll(),
      // This server's deep probes: an agent's blob failure is another network's, not this tracker's.
      this.probes.latestByMirror({ ...MAIN_PROBE_FILTER, vantageId: LOCAL_VANTAGE_ID, kind: 'deep' }),
    ]);
    // Built aside and swapped in: the other lane may record while this one reads.
    const tracked = new Map<string, TrackedMirror>();
    for (const record of stored.values()) {
      const storedRetry = record.retryNotBefore?.getTime() ?? Number.NaN;
      const deep = latestDeep.get(record.mirrorId);
      const blobFailed = deep !== undefined && BLOB_PHASES.has(deep.failedPhase ?? 'ping');
      tracked.set(record.mirrorId, {
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
    this.tracked = tracked;
    this.loaded = true;
  }

  /**
   * Forgets what memory holds and loads the database's states again: called
   * when this replica becomes the scheduler, since another replica may have
   * probed (and opened or closed incidents) while this one followed.
   */
  async reload(): Promise<void> {
    this.loaded = false;
    await this.load();
  }

  /**
   * Outcomes recorded into it are written together when the caller (a probe
   * cycle) commits it. One recorded after that commit (a probe carried past
   * its cycle's deadline) is written on its own: it must not wait in a batch
   * nobody commits again.
   */
  batch(): ProbeOutcomeBatch {
    const batch = this.outcomes.batch();
    let committed = false;
    return {
      add: (outcome) => (committed ? this.outcomes.commit(outcome) : batch.add(outcome)),
      commit: () => {
        committed = true;
        return batch.commit();
      },
    };
  }

  mustWait(mirrorId: string, now: number): boolean {
    const retryNotBefore = this.tracked.get(mirrorId)?.retryNotBefore ?? null;
    return retryNotBefore !== null && retryNotBefore > now;
  }

  /**
   * Applies one probe outcome and stores it in one transaction with its
   * probe rows (`rows`): alone (grouped with others of the same turn), or
   * in `batch` when its owner commits it. Memory moves on at once, so the
   * next outcome of this mirror (the other lane's, or the next in a batch)
   * builds on this one; if the write fails, the mirror's entry is put back
   * where the database is and the next load() reads every state again.
   * Listeners (metrics, notifications) hear of the change once it is stored.
   */
  async record(mirror: MirrorDefinition, result: ProbeResult, rows: ProbeRowInput[], batch?: ProbeOutcomeBatch): Promise<MirrorState> {
    const before = this.tracked.get(mirror.id);
    const { entry, previous, next, failureClass, incident } = trackProbe(mirror.id, before ?? UNTRACKED_MIRROR, result, {
      stale: this.freshness.isStale(mirror.id),
      libraryOnly: this.coverage.of(mirror.id)?.verdict === 'library_only',
      policy: this.policy(),
      probeIntervalSeconds: this.config.probeIntervalSeconds,
    });
    const outcome = {
      mirrorId: mirror.id,
      vantageId: LOCAL_VANTAGE_ID,
      probes: rows,
      state: toMirrorStateRecord(mirror.id, next, {
        retryNotBefore: entry.retryNotBefore === null ? null : new Date(entry.retryNotBefore),
        lastDigest: entry.lastDigest,
        lastDigestChangeAt: entry.lastDigestChangeAt,
      }),
      incident,
    };
    this.tracked.set(mirror.id, entry);
    try {
      await (batch ? batch.add(outcome) : this.outcomes.commit(outcome));
    } catch (error) {
      if (this.tracked.get(mirror.id) === entry) {
        if (before) this.tracked.set(mirror.id, before);
        else this.tracked.delete(mirror.id);
      }
      // Another outcome may have built on this one: read the database's states before the next cycle.
      this.loaded = false;
      throw error;
    }
    if (incident?.kind === 'open') this.logger.warn({ msg: 'mirror down', mirror: mirror.id, failureClass });
    if (incident?.kind === 'close') this.logger.log({ msg: 'mirror recovered', mirror: mirror.id, status: next.status });
    this.events.stateRecorded({ mirror, vantageId: LOCAL_VANTAGE_ID, result, previous, next });
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

  private policy(): StatusPolicy {
    return { ...DEFAULT_STATUS_POLICY, failuresToDown: this.config.failuresToDown, successesToUp: this.config.successesToUp };
  }
}
