import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MirrorDefinition, ProbeKind, ProbeResult } from '@mirrorwatch/domain';
import { probeMirror, resolveProbeOptions, type ProbeOptions } from '@mirrorwatch/probe';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import type { ProbeRowInput } from '../../services/persistence/probe-outcome.repository.js';
import { PROBED_REFERENCE, PROBED_REPOSITORY } from './probed-image.js';
import { MirrorStateTracker } from './mirror-state-tracker.service.js';
import { ProbeBudget } from './probe-budget.js';

/**
 * Probes one mirror the way dockerd pulls through it and records the outcome.
 * Light probes run every cycle; a deep probe (blob download and digest check)
 * and an allowlist check of a non-library image run at the deep cadence, so
 * public mirrors with tight rate limits see few requests from us.
 */
@Injectable()
export class MirrorProberService {
  private readonly logger = new Logger(MirrorProberService.name);
  private readonly caCache = new Map<string, string>();
  private readonly budget: ProbeBudget;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: MirrorStateTracker,
  ) {
    this.budget = new ProbeBudget(config.probeBudgetPerHour);
  }

  /** Probes `mirror` unless it asked us to stay away (429 Retry-After) or its hourly budget is spent; false when skipped. */
  async probe(mirror: MirrorDefinition, kind: ProbeKind, signal: AbortSignal): Promise<boolean> {
    const now = Date.now();
    if (this.tracker.mustWait(mirror.id, now)) return false;
    if (!this.budget.take(mirror.id, now)) {
      this.logger.warn({ msg: 'probe budget spent; skipping', mirror: mirror.id, budgetPerHour: this.config.probeBudgetPerHour });
      return false;
    }
    const target = { url: mirror.url, caPem: await this.caPem(mirror) };
    // After a blob failure the next probe goes deep again, so one blip clears within an interval.
    if (kind === 'light' && this.tracker.needsDeepConfirmation(mirror.id)) kind = 'deep';
    const result = await probeMirror(target, this.options(kind, PROBED_REPOSITORY, signal));
    const rows: ProbeRowInput[] = [{ result, repository: PROBED_REPOSITORY }];

    // The allowlist check rides on the deep cadence: a second image per light probe would double our load on public mirrors.
    let allowlistResult: ProbeResult | null = null;
    if (kind === 'deep' && result.ok) {
      allowlistResult = await probeMirror(target, this.options('light', this.config.allowlistRepository, signal));
      rows.push({ result: allowlistResult, repository: this.config.allowlistRepository });
    }
    // The probe rows, the state and any incident change are stored together (one transaction).
    await this.tracker.record(mirror, result, allowlistResult, rows);
    if (!result.ok) {
      this.logger.debug({ msg: 'probe failed', mirror: mirror.id, kind, failureClass: result.failureClass, phase: result.failedPhase });
    }
    return true;
  }

  private options(kind: ProbeKind, repository: string, signal: AbortSignal): ProbeOptions {
    const base = resolveProbeOptions({ kind, repository, reference: PROBED_REFERENCE });
    // A light probe must finish well inside one interval so cycles keep their rhythm.
    const intervalBudget = Math.floor(this.config.probeIntervalSeconds * 1000 * 0.8);
    const totalMs = kind === 'light' ? Math.min(base.timeouts.totalMs, intervalBudget) : base.timeouts.totalMs;
    return { ...base, signal, timeouts: { ...base.timeouts, totalMs }, caps: { ...base.caps, blobBytes: this.config.deepProbeMaxBytes } };
  }

  private async caPem(mirror: MirrorDefinition): Promise<string | null> {
    if (!mirror.caPath) return null;
    const cached = this.caCache.get(mirror.caPath);
    if (cached !== undefined) return cached;
    const pem = await readFile(mirror.caPath, 'utf8');
    this.caCache.set(mirror.caPath, pem);
    return pem;
  }
}
