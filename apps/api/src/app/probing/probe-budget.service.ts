import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { ProbeBudget } from './probe-budget.js';

/**
 * The one per-mirror budget every request to a mirror is taken from: the
 * scheduler's light, deep and coverage probes, and the public image look-up.
 * A mirror's rate limit counts our requests whatever asked for them.
 */
@Injectable()
export class ProbeBudgetService {
  private readonly budget: ProbeBudget;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.budget = new ProbeBudget(config.probeBudgetPerHour);
  }

  take(mirrorId: string, now: number = Date.now()): boolean {
    return this.budget.take(mirrorId, now);
  }
}
