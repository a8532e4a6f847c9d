import { Inject, Injectable, Logger } from '@nestjs/common';
import { DOCKER_HUB_REGISTRY, UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import { resolveProbeOptions } from '@mirrorwatch/probe';
import {
  decideFreshness,
  majorityDigest,
  type DigestObservation,
  type FreshnessState,
  type FreshnessVerdict,
  type ReferenceDigest,
} from '@mirrorwatch/scoring';
import { outboundPolicyFor } from '../targets/outbound-policy-for.js';
import { ProbeEngineService } from '../engine-thread/probe-engine.service.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { MirrorVerdictFacts } from '#infrastructure/persistence/mirror-verdict-facts.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { VerdictRepository, type StoredEvaluation, type StoredReference } from '#infrastructure/persistence/verdict.repository.js';
import { probeImageForUpstream } from '#infrastructure/configuration/probed-image.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { referenceUrlFor } from './upstream-reference-url.js';
import { StoredEvaluations, type EvaluationToStore } from './stored-evaluations.js';

/** What a mirror currently serves for its probed tag, and since when. */
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

const EMPTY_VIEW: FreshnessView = { reference: null, states: new Map() };

/**
 * Decides which mirrors serve an old digest of their upstream's probe image
 * (`library/alpine:latest` for Docker Hub, `pause:3.10` for registry.k8s.io,
 * ...), each upstream on its own: digests of different images never compare.
 * The reference comes from the upstream registry when it answers, asked at the
 * deep cadence because Docker Hub counts manifest GETs as pulls; otherwise
 * from the majority of that upstream's working mirrors. A mirror may lag for
 * the grace period (pull-through caches keep manifests up to an hour) before
 * it is called stale.
 *
 * Every evaluation is stored per upstream image (VerdictRepository): every
 * replica serves the stored one, and a replica that becomes the scheduler
 * restores it, so the grace period of a lagging mirror survives a takeover or
 * a restart.
 */
@Injectable()
export class FreshnessService {
  private readonly logger = new Logger(FreshnessService.name);
  private readonly upstreamReferences = new Map<string, ReferenceDigest>();
  private readonly views = new Map<string, FreshnessView>();
  private readonly stored = new StoredEvaluations();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verdicts: VerdictRepository,
    mirrors: MirrorRepository,
    /** The reference registry is asked from the probe engine's thread, like the mirrors. */
    private readonly engine: ProbeEngineService,
  ) {
    mirrors.onDeleted((mirrorId) => this.stored.forgetMirror(mirrorId));
  }

  /**
   * Takes over the stored evaluations (a new scheduler term): each upstream
   * reference with the moment it was first seen, and the verdicts the stale
   * check of the next light probes relies on. Without it a new leader would
   * judge by majority until its first deep probe, then restart every grace
   * period from that probe.
   */
  async restore(): Promise<void> {
    const images = UPSTREAM_HOSTS.map((upstream) => probeImageForUpstream(upstream).imageKey);
    // One read of every upstream's evaluation, also the term's copy of what is stored (StoredEvaluations).
    const loaded = await this.verdicts.loadAll(LOCAL_VANTAGE_ID, images);
    this.stored.seed(loaded);
    for (const upstream of UPSTREAM_HOSTS) {
      const stored = loaded.get(probeImageForUpstream(upstream).imageKey);
      if (!stored) continue;
      const reference = stored.reference ? toReferenceDigest(stored.reference) : null;
      if (reference?.source === 'upstream') this.upstreamReferences.set(upstream, reference);
      this.views.set(upstream, {
        reference,
        states: new Map([...stored.verdicts].map(([mirrorId, facts]) => [mirrorId, facts.freshness.state])),
      });
    }
  }

  /**
   * Asks each upstream that has mirrors for the current digest. When it cannot
   * be reached (from most of mainland China, Docker Hub cannot) the working
   * mirrors' majority stands in: a remembered upstream answer would silently
   * go stale. Upstreams nobody mirrors are not asked.
   */
  async refreshReferences(upstreams: Iterable<string>, signal: AbortSignal, now: Date = new Date()): Promise<void> {
    for (const upstream of new Set(upstreams)) {
      if (signal.aborted) return;
      await this.refreshReference(upstream, signal, now);
    }
  }

  private async refreshReference(upstream: string, signal: AbortSignal, now: Date): Promise<void> {
    const url = referenceUrlFor(upstream, this.config);
    if (url === null) return;
    const image = probeImageForUpstream(upstream);
    const result = await this.engine.probe(
      { url, policy: outboundPolicyFor(url, this.config) },
      resolveProbeOptions({ kind: 'light', repository: image.requestRepository, reference: image.reference, signal }),
    );
    if (!result.ok || !result.manifest) {
      this.logger.log({
        msg: 'reference registry unavailable; using the majority of working mirrors',
        upstream,
        failureClass: result.failureClass,
      });
      this.upstreamReferences.delete(upstream);
      return;
    }
    const digest = result.manifest.digest;
    if (this.upstreamReferences.get(upstream)?.digest !== digest) {
      // The tag moved (or we just started): mirrors get the grace period from now.
      this.upstreamReferences.set(upstream, { digest, source: 'upstream', firstSeenAt: now });
    }
  }

  /**
   * Re-evaluates every mirror against its upstream's reference and stores the
   * result for every replica. `upstreamOf` maps a mirror id to its upstream
   * (mirrors it does not know are Docker Hub's).
   */
  async evaluate(
    served: readonly ServedDigest[],
    upstreamOf: (mirrorId: string) => string = () => DOCKER_HUB_REGISTRY,
    now: Date = new Date(),
  ): Promise<void> {
    const groups = new Map<string, ServedDigest[]>([[DOCKER_HUB_REGISTRY, []]]);
    for (const entry of served) {
      const upstream = upstreamOf(entry.mirrorId);
      const group = groups.get(upstream);
      if (group) group.push(entry);
      else groups.set(upstream, [entry]);
    }
    const references: { image: string; reference: StoredReference | null }[] = [];
    const allVerdicts = new Map<string, MirrorVerdictFacts>();
    for (const [upstream, group] of groups) {
      const observations: DigestObservation[] = group.map((s) => ({ mirrorId: s.mirrorId, digest: s.digest, observedAt: s.since }));
      const working = new Set(group.filter((s) => s.working).map((s) => s.mirrorId));
      const reference = this.upstreamReferences.get(upstream) ?? majorityDigest(observations.filter((o) => working.has(o.mirrorId)));
      const verdicts = decideFreshness(observations, reference, this.config.staleGraceSeconds * 1000, now);
      this.views.set(upstream, { reference, states: new Map(verdicts.map((v) => [v.mirrorId, v.state])) });
      const stored = toStoredEvaluation(reference, verdicts, now);
      references.push({ image: probeImageForUpstream(upstream).imageKey, reference: stored.reference });
      for (const [mirrorId, facts] of stored.verdicts) allVerdicts.set(mirrorId, facts);
    }
    await this.store({ references, verdicts: allVerdicts }, now);
  }

  /**
   * The stored evaluations of the local vantage as this scheduler's term
   * wrote them (VerdictRepository.loadAll's answer, from memory); null on a
   * replica that is not the scheduler, or before its term restored them.
   */
  storedEvaluations(): ReadonlyMap<string, StoredEvaluation> | null {
    return this.stored.current();
  }

  /** The scheduler's term ended: another replica writes the verdicts from now on. */
  endTerm(): void {
    this.stored.forget();
  }

  /**
   * One write: verdict rows are per mirror, so saving upstream by upstream would drop the previous ones.
   * Skipped when the database already holds this evaluation (one count instead of a transaction); writes go one at a time (a light and a
   * deep cycle can end together), so the copy in memory follows the database's commit order.
   */
  private store(evaluation: EvaluationToStore, now: Date): Promise<void> {
    const write = this.writing.then(async () => {
      if (await this.stored.alreadyStored(evaluation, () => this.verdicts.countVerdicts(LOCAL_VANTAGE_ID))) return;
      const written = await this.verdicts.saveAll(LOCAL_VANTAGE_ID, evaluation.references, evaluation.verdicts, now);
      this.stored.wrote(evaluation, written, now);
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** The evaluation of one upstream's mirrors (Docker Hub's by default). */
  current(upstream: string = DOCKER_HUB_REGISTRY): FreshnessView {
    return this.views.get(upstream) ?? EMPTY_VIEW;
  }

  isStale(mirrorId: string): boolean {
    for (const view of this.views.values()) if (view.states.get(mirrorId) === 'stale') return true;
    return false;
  }
}

function toReferenceDigest(stored: NonNullable<StoredEvaluation['reference']>): ReferenceDigest {
  return stored.firstSeenAt
    ? { digest: stored.digest, source: stored.source, firstSeenAt: stored.firstSeenAt }
    : { digest: stored.digest, source: stored.source };
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
