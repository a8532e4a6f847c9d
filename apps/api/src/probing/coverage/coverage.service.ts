import { Inject, Injectable, Logger } from '@nestjs/common';
import { judgeCoverage, type CoverageJudgement, type MirrorCoverage } from '@mirrorwatch/scoring';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { CoverageRepository } from '#infrastructure/persistence/coverage.repository.js';
import { MirrorStateRepository } from '#infrastructure/persistence/mirror-state.repository.js';

import { CoverageProberService } from './coverage-prober.service.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

export interface CoverageView extends CoverageJudgement {
  judgedAt: Date | null;
}

/**
 * Judges every mirror's coverage from the stored evidence (scoring's
 * `judgeCoverage`): the scheduler after each deep cycle, every replica on each
 * ranking rebuild, so followers judge exactly as the leader does. Also the
 * operator's source for "a coverage image is broken" (banner, readiness,
 * metric): an image nobody can show exists holds nothing against mirrors.
 */
@Injectable()
export class CoverageService {
  private readonly logger = new Logger(CoverageService.name);
  private view: CoverageView = { mirrors: new Map(), brokenImages: [], judgedAt: null };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: CoverageRepository,
    private readonly states: MirrorStateRepository,
    private readonly prober: CoverageProberService,
  ) {}

  /** `states`: the mirrors' stored states when the caller has read them already (the ranking rebuild). */
  async judge(now: Date = new Date(), states?: ReturnType<MirrorStateRepository['getAll']>): Promise<CoverageView> {
    const keys = this.config.coverageImages.map((image) => image.key);
    const [answers, reference, stored] = await Promise.all([
      this.repository.mirrorAnswers(LOCAL_VANTAGE_ID, keys),
      this.repository.referenceAnswers(keys),
      states ?? this.states.getAll(),
    ]);
    const working = new Set([...stored.values()].filter((s) => s.status === 'up' || s.status === 'degraded').map((s) => s.mirrorId));
    const judgement = judgeCoverage({
      images: this.config.coverageImages.map((image) => ({ image: image.key, library: image.library })),
      answers,
      working,
      reference,
    });
    if (judgement.brokenImages.join() !== this.view.brokenImages.join() && judgement.brokenImages.length > 0) {
      this.logger.warn({ msg: 'coverage images nobody can show exist; they count against no mirror', images: judgement.brokenImages });
    }
    this.view = { ...judgement, judgedAt: now };
    return this.view;
  }

  /**
   * After a deep cycle: when no working mirror serves an image, ask the
   * reference registry (only then: Docker Hub counts manifest requests as
   * pulls) whether it exists, so a 404 can count as evidence; then judge.
   */
  async afterDeepCycle(signal: AbortSignal): Promise<CoverageView> {
    const first = await this.judge();
    const unsettled = this.config.coverageImages.filter((image) => first.brokenImages.includes(image.key));
    if (unsettled.length === 0 || signal.aborted) return first;
    await this.prober.probeReference(unsettled, signal);
    return this.judge();
  }

  current(): CoverageView {
    return this.view;
  }

  of(mirrorId: string): MirrorCoverage | null {
    return this.view.mirrors.get(mirrorId) ?? null;
  }
}
