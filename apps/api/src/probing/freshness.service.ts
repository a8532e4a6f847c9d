import { Inject, Injectable, Logger } from '@nestjs/common';
import { probeMirror, resolveProbeOptions } from '@mirrorwatch/probe';
import { decideFreshness, majorityDigest, type DigestObservation, type FreshnessState, type FreshnessVerdict, type ReferenceDigest } from '@mirrorwatch/scoring';
import { outboundPolicyFor } from './outbound-policy-for.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { MirrorVerdictFacts } from '#infrastructure/persistence/mirror-verdict-facts.js';

import { VerdictRepository, type StoredEvaluation } from '#infrastructure/persistence/verdict.repository.js';
import { PROBED_IMAGE, PROBED_REFERENCE, PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

/** What a mirror currently serves for the probed tag, and since when. */
export interface ServedDigest {
  mirrorId: string;
  digest: string;
  since: Date;
  /** Only mirrors that work vote for the majority reference. */
  working: boolean;
}

export interface FreshnessView {
  reference: ReferenceDigest | null;
  states: ReadonlyMap<string, FreshnessState>;
}

/**
 * Decides which mirrors serve an old digest of `library/alpine:latest`.
 * The reference comes from the upstream registry (Docker Hub) when it answers,
 * asked at the deep cadence because Docker Hub counts manifest GETs as pulls;
 * otherwise from the majority of working mirrors. A mirror may lag for the
 * grace period (pull-through caches keep manifests up to an hour) before it is
 * called stale.
 *
 * Every evaluation is stored (VerdictRepository): every replica serves the
 * stored one, and a replica that becomes the scheduler restores it, so the
 * grace period of a lagging mirror survives a takeover or a restart.
 */
@Injectable()
export class FreshnessService {
  private readonly logger = new Logger(FreshnessService.name);
  private upstreamReference: ReferenceDigest | null = null;
  private view: FreshnessView = { reference: null, states: new Map() };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verdicts: VerdictRepository,
  ) {}

  /**
   * Takes over the stored evaluation (a new scheduler term): the upstream
   * reference with the moment it was first seen, and the verdicts the stale
   * check of the next light probes relies on. Without it a new leader would
   * judge by majority until its first deep probe, then restart every grace
   * period from that probe.
   */
  async restore(): Promise<void> {
    const stored = await this.verdicts.load(LOCAL_VANTAGE_ID, PROBED_IMAGE);
    if (!stored) return;
    const reference = stored.reference ? toReferenceDigest(stored.reference) : null;
    this.upstreamReference = reference?.source === 'upstream' ? reference : null;
    this.view = { reference, states: new Map([...stored.verdicts].map(([mirrorId, facts]) => [mirrorId, facts.freshness.state])) };
  }

  /**
   * Asks the upstream for the current digest. When it cannot be reached (from
   * most of mainland China, Docker Hub cannot) the working mirrors' majority
   * stands in: a remembered upstream answer would silently go stale.
   */
  async refreshReference(signal: AbortSignal, now: Date = new Date()): Promise<void> {
    const result = await probeMirror(
      { url: this.config.referenceRegistryUrl, policy: outboundPolicyFor(this.config.referenceRegistryUrl, this.config) },
      resolveProbeOptions({ kind: 'light', repository: PROBED_REPOSITORY, reference: PROBED_REFERENCE, signal }),
    );
    if (!result.ok || !result.manifest) {
      this.logger.log({ msg: 'reference registry unavailable; using the majority of working mirrors', failureClass: result.failureClass });
      this.upstreamReference = null;
      return;
    }
    const digest = result.manifest.digest;
    if (this.upstreamReference?.digest !== digest) {
      // The tag moved (or we just started): mirrors get the grace period from now.
      this.upstreamReference = { digest, source: 'upstream', firstSeenAt: now };
    }
  }

  /** Re-evaluates every mirror against the current reference and stores the result for every replica. */
  async evaluate(served: readonly ServedDigest[], now: Date = new Date()): Promise<FreshnessView> {
    const observations: DigestObservation[] = served.map((s) => ({ mirrorId: s.mirrorId, digest: s.digest, observedAt: s.since }));
    const reference =
      this.upstreamReference ?? majorityDigest(observations.filter((o) => served.find((s) => s.mirrorId === o.mirrorId)?.working));
    const verdicts = decideFreshness(observations, reference, this.config.staleGraceSeconds * 1000, now);
    this.view = { reference, states: new Map(verdicts.map((v) => [v.mirrorId, v.state])) };
    await this.verdicts.save(LOCAL_VANTAGE_ID, PROBED_IMAGE, toStoredEvaluation(reference, verdicts, now));
    return this.view;
  }

  current(): FreshnessView {
    return this.view;
  }

  isStale(mirrorId: string): boolean {
    return this.view.states.get(mirrorId) === 'stale';
  }
}

function toReferenceDigest(stored: NonNullable<StoredEvaluation['reference']>): ReferenceDigest {
  return stored.firstSeenAt ? { digest: stored.digest, source: stored.source, firstSeenAt: stored.firstSeenAt } : { digest: stored.digest, source: stored.source };
}

function toStoredEvaluation(reference: ReferenceDigest | null, verdicts: readonly FreshnessVerdict[], evaluatedAt: Date): StoredEvaluation {
  return {
    reference: reference ? { digest: reference.digest, source: reference.source, firstSeenAt: reference.firstSeenAt ?? null } : null,
    verdicts: new Map(
      verdicts.map((verdict): [string, MirrorVerdictFacts] => [
        verdict.mirrorId,
        { freshness: { state: verdict.state, servedDigest: verdict.servedDigest, differentSince: verdict.differentSince } },
      ]),
    ),
    evaluatedAt,
  };
}
