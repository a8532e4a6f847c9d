import { Injectable } from '@nestjs/common';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';
import type { MirrorState } from '@mirrorwatch/scoring';

/** One probe applied to one mirror, after its state and incident were committed. */
export interface MirrorStateChange {
  mirror: MirrorDefinition;
  vantageId: string;
  result: ProbeResult;
  previous: MirrorState | null;
  next: MirrorState;
}

export type MirrorStateListener = (change: MirrorStateChange) => void;

/**
 * Where the state tracker announces every recorded probe. Reactions that are
 * not part of the state itself (metrics, notifications) subscribe here from
 * the modules above, so probing depends on none of them. Listeners run
 * synchronously and must return at once (queue work, do not await it): they
 * sit on the probe path.
 */
@Injectable()
export class MirrorStateEvents {
  private readonly listeners: MirrorStateListener[] = [];

  onStateRecorded(listener: MirrorStateListener): void {
    this.listeners.push(listener);
  }

  stateRecorded(change: MirrorStateChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
