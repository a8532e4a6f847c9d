import type { MirrorEvent } from './mirror-event.js';

/**
 * The same mirror and event kind are not re-sent within the window: a mirror
 * flapping between down and up still alerts on each change of kind, but a
 * repeated integrity failure every probe does not flood the channel.
 */
export class EventDeduplicator {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True (and remembered) when the event should go out. */
  admit(event: MirrorEvent): boolean {
    const key = `${event.mirror.id}\u0000${event.kind}`;
    const now = this.now();
    const last = this.lastSent.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.lastSent.set(key, now);
    if (this.lastSent.size > 10_000) this.prune(now);
    return true;
  }

  private prune(now: number): void {
    for (const [key, at] of this.lastSent) if (now - at >= this.windowMs) this.lastSent.delete(key);
  }
}
