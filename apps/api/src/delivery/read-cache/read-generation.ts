import { Injectable } from '@nestjs/common';
import { AgentResultsFeed } from '#probing/ingestion/agent-results-feed.js';
import { MirrorStateEvents } from '#probing/state/mirror-state-events.js';
import { CatchUpProgress } from '#ranking/rollups/catch-up-progress.js';
import { VantageViewsService } from '../vantages/vantage-views.service.js';

const HOUR_MS = 3_600_000;

/**
 * Numbers that change whenever a read may answer differently, so that what
 * a read computes can be kept until they do (prepared responses, rendered
 * pages). What the public reads show changes only when:
 * - a probe cycle ends and the ranking is rebuilt (its generation; admin
 *   changes to mirrors rebuild it too), or an agent's results are stored
 *   (VantageViewsService.generation() carries both);
 * - one mirror's probe is stored (its own count: its history charts);
 * - the rollup backfill moves on by a percent (long windows fill in, the
 *   catch-up banner's figure);
 * - the UTC hour turns (the 24-hour sparklines and the day cells move).
 */
@Injectable()
export class ReadGeneration {
  private readonly storedPerMirror = new Map<string, number>();
  private readonly agentStoredPerVantage = new Map<string, number>();

  constructor(
    private readonly views: VantageViewsService,
    private readonly catchUp: CatchUpProgress,
    events: MirrorStateEvents,
    feed: AgentResultsFeed,
  ) {
    // Listeners on the probe path must return at once: a counter increment.
    events.onStateRecorded(({ mirror }) => this.storedPerMirror.set(mirror.id, (this.storedPerMirror.get(mirror.id) ?? 0) + 1));
    feed.subscribe((vantageId) => this.agentStoredPerVantage.set(vantageId, (this.agentStoredPerVantage.get(vantageId) ?? 0) + 1));
  }

  /** For reads of every public mirror at once (the ranking, the status page, the sparklines, the pages showing them). */
  overall(now: number = Date.now()): string {
    return `${this.views.generation()}:${this.catchUpStep()}:${Math.floor(now / HOUR_MS)}`;
  }

  /**
   * For one mirror's reads as one vantage sees it (its history): changes when
   * that mirror's probe is stored here, or any result of that vantage is
   * stored from an agent, not on every other mirror's probe.
   */
  ofMirror(mirrorId: string, vantageId: string): string {
    return `${this.storedPerMirror.get(mirrorId) ?? 0}:${this.agentStoredPerVantage.get(vantageId) ?? 0}:${this.catchUpStep()}`;
  }

  /** The backfill's progress in whole percent (not per slice: a slice takes milliseconds). */
  private catchUpStep(): string {
    const { catchingUp, done, total } = this.catchUp.snapshot();
    if (!catchingUp || total === 0) return 'idle';
    return String(Math.floor((done * 100) / total));
  }
}
