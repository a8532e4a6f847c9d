import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { LeadershipLock } from './leadership-lock.js';

export interface LeadershipListener {
  /** This replica became the scheduler: start probing (after reloading state). */
  gained(): Promise<void>;
  /** It no longer is: stop probing and wait for work in flight. */
  lost(): Promise<void>;
}

export type LeadershipRole = 'leader' | 'follower' | 'stopped';

/**
 * Elects this replica as its vantage's scheduler, or not. A follower retries
 * every `retryIntervalMs` (the probe interval: a takeover costs at most about
 * one missed cycle); a leader uses the same tick to confirm it still holds the
 * lock. Transitions run one at a time, so a listener never sees "lost" before
 * its "gained" has finished.
 */
export class SchedulerLeadership implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerLeadership.name);
  private readonly listeners: LeadershipListener[] = [];
  private currentRole: LeadershipRole = 'follower';
  private transitions: Promise<void> = Promise.resolve();
  private polling: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private changedAt = new Date();

  constructor(
    private readonly lock: LeadershipLock,
    private readonly retryIntervalMs: number,
  ) {
    lock.onLost(() => void this.demote('lock connection lost'));
  }

  subscribe(listener: LeadershipListener): void {
    this.listeners.push(listener);
  }

  isLeader(): boolean {
    return this.currentRole === 'leader';
  }

  role(): LeadershipRole {
    return this.currentRole;
  }

  /** When the role last changed (start-up counts). */
  roleSince(): Date {
    return this.changedAt;
  }

  onApplicationBootstrap(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.retryIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** One election tick: a follower tries the lock, a leader checks it still holds it. Overlapping ticks join. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Stops probing first, then releases the lock, so the next leader never overlaps this one's last cycle. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await this.demote('shutting down', 'stopped');
    await this.transitions;
    await this.lock.release();
  }

  /** Settles once every queued transition has run (tests, shutdown). */
  async settled(): Promise<void> {
    await this.transitions;
  }

  private async pollOnce(): Promise<void> {
    if (this.currentRole === 'stopped') return;
    if (this.currentRole === 'leader') {
      if (!(await this.lock.stillHeld())) await this.demote('lock no longer held');
      return;
    }
    if (await this.lock.tryAcquire().catch(() => false)) {
      // stop() may have run while the attempt was in flight.
      if (this.role() === 'stopped') return this.lock.release();
      await this.promote();
    }
  }

  private promote(): Promise<void> {
    this.setRole('leader');
    this.logger.log({ msg: 'this replica is now the probe scheduler' });
    return this.enqueue((listener) => listener.gained());
  }

  private demote(reason: string, next: 'follower' | 'stopped' = 'follower'): Promise<void> {
    const wasLeader = this.currentRole === 'leader';
    if (this.currentRole !== 'stopped') this.setRole(next);
    if (!wasLeader) return this.transitions;
    this.logger.warn({ msg: 'this replica is no longer the probe scheduler', reason });
    return this.enqueue((listener) => listener.lost());
  }

  private setRole(role: LeadershipRole): void {
    if (role === this.currentRole) return;
    this.currentRole = role;
    this.changedAt = new Date();
  }

  private enqueue(call: (listener: LeadershipListener) => Promise<void>): Promise<void> {
    this.transitions = this.transitions.then(async () => {
      for (const listener of this.listeners) {
        await call(listener).catch((error: unknown) => this.logger.error(error instanceof Error ? error : new Error(String(error))));
      }
    });
    return this.transitions;
  }
}
