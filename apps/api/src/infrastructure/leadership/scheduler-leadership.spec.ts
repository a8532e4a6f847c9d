import { describe, expect, it } from 'vitest';
import type { LeadershipLock } from './leadership-lock.js';
import { SchedulerLeadership } from './scheduler-leadership.js';

/** A lock whose answers the test sets, recording what was asked of it. */
class ScriptedLock implements LeadershipLock {
  available = true;
  held = false;
  connectionAlive = true;
  failNextAttempt = false;
  releases = 0;
  private lostListener: (() => void) | null = null;

  tryAcquire(): Promise<boolean> {
    if (this.failNextAttempt) {
      this.failNextAttempt = false;
      return Promise.reject(new Error('connection refused'));
    }
    this.held = this.available;
    return Promise.resolve(this.held);
  }

  stillHeld(): Promise<boolean> {
    this.held = this.held && this.connectionAlive;
    return Promise.resolve(this.held);
  }

  onLost(listener: () => void): void {
    this.lostListener = listener;
  }

  release(): Promise<void> {
    this.releases += 1;
    this.held = false;
    return Promise.resolve();
  }

  dropConnection(): void {
    this.held = false;
    this.lostListener?.();
  }
}

function elect(lock: ScriptedLock) {
  const leadership = new SchedulerLeadership(lock, 60_000);
  const events: string[] = [];
  leadership.subscribe({
    gained: async () => {
      events.push('gained');
    },
    lost: async () => {
      events.push('lost');
    },
  });
  return { leadership, events };
}

describe('SchedulerLeadership', () => {
  it('becomes leader when the lock is free, once, and stays leader while it holds it', async () => {
    const lock = new ScriptedLock();
    const { leadership, events } = elect(lock);
    expect(leadership.role()).toBe('follower');
    await leadership.poll();
    await leadership.poll();
    await leadership.settled();
    expect(leadership.isLeader()).toBe(true);
    expect(events).toEqual(['gained']);
  });

  it('stays a follower while another replica holds the lock, and takes over when it is freed', async () => {
    const lock = new ScriptedLock();
    lock.available = false;
    const { leadership, events } = elect(lock);
    await leadership.poll();
    expect(leadership.role()).toBe('follower');
    lock.available = true;
    await leadership.poll();
    await leadership.settled();
    expect(leadership.isLeader()).toBe(true);
    expect(events).toEqual(['gained']);
  });

  it('treats a failed attempt (database unreachable) as "not leader" and retries on the next tick', async () => {
    const lock = new ScriptedLock();
    lock.failNextAttempt = true;
    const { leadership, events } = elect(lock);
    await leadership.poll();
    expect(leadership.role()).toBe('follower');
    await leadership.poll();
    await leadership.settled();
    expect(events).toEqual(['gained']);
  });

  it('loses leadership at once when the lock connection drops, then re-acquires it', async () => {
    const lock = new ScriptedLock();
    const { leadership, events } = elect(lock);
    await leadership.poll();
    lock.dropConnection();
    await leadership.settled();
    expect(leadership.role()).toBe('follower');
    await leadership.poll();
    await leadership.settled();
    expect(events).toEqual(['gained', 'lost', 'gained']);
  });

  it('loses leadership when the heartbeat finds the lock no longer held', async () => {
    const lock = new ScriptedLock();
    const { leadership, events } = elect(lock);
    await leadership.poll();
    lock.connectionAlive = false;
    lock.available = false;
    await leadership.poll();
    await leadership.settled();
    expect(leadership.role()).toBe('follower');
    expect(events).toEqual(['gained', 'lost']);
  });

  it("on stop, stops the leader's work before releasing the lock, and never runs again", async () => {
    const lock = new ScriptedLock();
    const leadership = new SchedulerLeadership(lock, 60_000);
    const events: string[] = [];
    leadership.subscribe({
      gained: async () => {
        events.push('gained');
      },
      lost: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`lost (releases so far: ${lock.releases})`);
      },
    });
    await leadership.poll();
    await leadership.stop();
    expect(events).toEqual(['gained', 'lost (releases so far: 0)']);
    expect(lock.releases).toBe(1);
    await leadership.poll();
    expect(leadership.role()).toBe('stopped');
    expect(events).toHaveLength(2);
  });

  it('a follower that stops releases nothing it holds and reports no loss', async () => {
    const lock = new ScriptedLock();
    lock.available = false;
    const { leadership, events } = elect(lock);
    await leadership.poll();
    await leadership.stop();
    expect(events).toEqual([]);
    expect(leadership.role()).toBe('stopped');
  });

  it('runs "lost" only after a slow "gained" has finished', async () => {
    const lock = new ScriptedLock();
    const leadership = new SchedulerLeadership(lock, 60_000);
    const events: string[] = [];
    leadership.subscribe({
      gained: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        events.push('gained');
      },
      lost: async () => {
        events.push('lost');
      },
    });
    await leadership.poll();
    lock.dropConnection();
    await leadership.settled();
    expect(events).toEqual(['gained', 'lost']);
  });

  it('a failing listener does not keep the others from running', async () => {
    const lock = new ScriptedLock();
    const leadership = new SchedulerLeadership(lock, 60_000);
    const events: string[] = [];
    leadership.subscribe({ gained: () => Promise.reject(new Error('boom')), lost: async () => undefined });
    leadership.subscribe({
      gained: async () => {
        events.push('second gained');
      },
      lost: async () => undefined,
    });
    await leadership.poll();
    await leadership.settled();
    expect(events).toEqual(['second gained']);
  });
});
