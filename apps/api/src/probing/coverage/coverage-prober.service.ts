import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';
import { resolveProbeOptions, type ProbeTarget } from '@mirrorwatch/probe';
import { outboundPolicyFor } from '../targets/outbound-policy-for.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { CoverageImage } from '#infrastructure/configuration/coverage-images.js';
import { CoverageRepository, type CoverageWrite } from '#infrastructure/persistence/coverage.repository.js';

import { ProbeBudgetService } from '../budget/probe-budget.service.js';
import { ProbeEngineService } from '../engine-thread/probe-engine.service.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

/** A coverage check is a manifest fetch: it must not hold a deep cycle for long. */
const COVERAGE_PROBE_TOTAL_MS = 15_000;

/**
 * Asks mirrors (at the deep cadence) and, when needed, the reference
 * registry for the coverage images' manifests, with the probe engine's light
 * probe (no blobs), and stores the answers as evidence for `judgeCoverage`.
 * The probes run on the engine thread, as the scheduled light and deep ones do.
 */
@Injectable()
export class CoverageProberService {
  private readonly logger = new Logger(CoverageProberService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly budget: ProbeBudgetService,
    private readonly coverage: CoverageRepository,
    private readonly engine: ProbeEngineService,
  ) {}

  /**
   * Probes each coverage image through the mirror, one after another (a
   * mirror's rate limit sees one request at a time from us), as long as its
   * budget lasts: an image left unprobed keeps its previous answer.
   */
  async probeMirror(mirror: MirrorDefinition, target: ProbeTarget, signal: AbortSignal): Promise<number> {
    const answers: CoverageWrite[] = [];
    for (const image of this.config.coverageImages) {
      if (signal.aborted) break;
      if (!this.budget.take(mirror.id, 'scheduled')) {
        this.logger.warn({ msg: 'probe budget spent; coverage check cut short', mirror: mirror.id, checked: answers.length });
        break;
      }
      answers.push(toWrite(image, await this.engine.probe(target, this.options(image, signal))));
    }
    await this.coverage.saveMirrorAnswers(mirror.id, LOCAL_VANTAGE_ID, answers);
    return answers.length;
  }

  /** Asks the reference registry (Docker Hub) whether these images exist; Docker Hub counts each as a pull, so callers ask only when mirrors cannot settle it. */
  async probeReference(images: readonly CoverageImage[], signal: AbortSignal): Promise<void> {
    for (const image of images) {
      if (signal.aborted) return;
      const result = await this.engine.probe({ url: this.config.referenceRegistryUrl, policy: outboundPolicyFor(this.config.referenceRegistryUrl, this.config) }, this.options(image, signal));
      await this.coverage.saveReferenceAnswer(toWrite(image, result));
    }
  }

  private options(image: CoverageImage, signal: AbortSignal) {
    const base = resolveProbeOptions({ kind: 'light', repository: image.reference.repository, reference: image.reference.tag });
    return {
      ...base,
      signal,
      alsoResolve: image.platforms.filter((p) => !(p.os === base.platform.os && p.architecture === base.platform.architecture)),
      timeouts: { ...base.timeouts, totalMs: Math.min(base.timeouts.totalMs, COVERAGE_PROBE_TOTAL_MS) },
    };
  }
}

function toWrite(image: CoverageImage, result: ProbeResult): CoverageWrite {
  return {
    image: image.key,
    checkedAt: result.startedAt,
    ok: result.ok,
    failureClass: result.failureClass,
    httpStatus: result.httpStatus,
    detail: result.detail,
    digest: result.manifest?.digest ?? null,
    manifestMs: result.timings.manifestMs,
  };
}
