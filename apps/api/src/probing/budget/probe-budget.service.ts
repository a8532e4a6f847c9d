import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { ProbeBudget } from './probe-budget.js';

/**
 * Share of a mirror's hourly budget that public, on-demand requests (the
 * image look-up) may spend. Anyone on the internet can ask for a new image
 * each second; without a cap they could spend the whole budget and freeze the
 * scheduler's probes (stale statuses, a stale recommendation). The default
 * budget is twice the scheduler's need, so a quarter leaves it room.
 */
export const ON_DEMAND_SHARE = 0.25;

export type BudgetPurpose = 'scheduled' | 'on_demand';

/**
 * The one per-mirror budget every request to a mirror is taken from: the
 * scheduler's light, deep and coverage probes, and the public image look-up
 * (which may use only ON_DEMAND_SHARE of it). A mirror's rate limit counts our
 * requests whatever asked for them.
 */
@Injectable()
export class ProbeBudgetService {
  private readonly total: ProbeBudget;
  private readonly onDemand: ProbeBudget;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'probeBudgetPerHour'>) {
    this.total = new ProbeBudget(config.probeBudgetPerHour);
    this.onDemand = new ProbeBudget(Math.max(1, Math.floor(config.probeBudgetPerHour * ON_DEMAND_SHARE)));
  }

  take(mirrorId: string, purpose: BudgetPurpose = 'scheduled', now: number = Date.now()): boolean {
    if (purpose === 'on_demand' && !this.onDemand.take(mirrorId, now)) return false;
    return this.total.take(mirrorId, now);
  }
}
