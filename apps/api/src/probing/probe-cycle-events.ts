import { Injectable } from '@nestjs/common';
import type { ProbeKind } from '@mirrorwatch/domain';

/** A probe cycle that ran to its end (an aborted cycle announces nothing). */
export interface ProbeCycleFinished {
  kind: ProbeKind;
}

export type ProbeCycleListener = (event: ProbeCycleFinished) => Promise<void>;

/**
 * Where probing announces finished cycles. Probing sits below ranking and
 * never calls it: ranking subscribes here and rebuilds. Listeners are awaited
 * in turn, so a cycle ends only once what it feeds is up to date.
 */
@Injectable()
export class ProbeCycleEvents {
  private readonly listeners: ProbeCycleListener[] = [];

  onCycleFinished(listener: ProbeCycleListener): void {
    this.listeners.push(listener);
  }

  async cycleFinished(event: ProbeCycleFinished): Promise<void> {
    for (const listener of this.listeners) await listener(event);
  }
}
