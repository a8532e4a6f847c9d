/**
 * Runs callbacks at epoch-millisecond times with one timer per distinct time:
 * the probes of a wave (probe-waves.ts) share their start time, so they share
 * one wake-up of the engine thread instead of one each (Node groups timers by
 * duration, and the same start time reached from messages that arrived a
 * millisecond apart is two durations, so two wake-ups).
 */
export class DueTimers {
  private readonly groups = new Map<number, { timer: NodeJS.Timeout; callbacks: Set<() => void> }>();

  /** Calls `callback` at `dueAt` (or at once if that has passed); the returned function cancels it. */
  at(dueAt: number, callback: () => void): () => void {
    let group = this.groups.get(dueAt);
    if (group === undefined) {
      const callbacks = new Set<() => void>();
      const timer = setTimeout(
        () => {
          this.groups.delete(dueAt);
          for (const due of callbacks) due();
        },
        Math.max(0, dueAt - Date.now()),
      );
      group = { timer, callbacks };
      this.groups.set(dueAt, group);
    }
    const { callbacks, timer } = group;
    callbacks.add(callback);
    return () => {
      callbacks.delete(callback);
      if (callbacks.size > 0 || this.groups.get(dueAt)?.timer !== timer) return;
      clearTimeout(timer);
      this.groups.delete(dueAt);
    };
  }
}
