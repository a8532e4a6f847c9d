/**
 * Runs callbacks at epoch-millisecond times with one timer per distinct time:
 * the probes of a wave (probe-waves.ts) share their start time, so they share
 * one wake-up of the engine thread instead of one each (Node groups timers by
 * duration, and the same start time reached from messages that arrived a
 * millisecond apart is two durations, so two wake-ups).
 *
 * A group's callbacks run one per turn of the event loop (setImmediate), not
 * in one synchronous run: each starts a probe (agent, connector, request),
 * and a probe's connect and first byte are timed when this thread gets to
 * their socket events. Run back to back, a wave of four timed its first
 * probe's loopback connect at ~1 ms against curl's 0.06, the siblings' set-up
 * included. Between turns the loop polls, so a socket ready by then is timed
 * before the next probe starts; the turns cost no extra wake-up.
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
          runOnePerTurn([...callbacks], callbacks);
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

/**
 * Runs `due` one per event-loop turn, from `from` on. A callback cancelled
 * before its turn (gone from `stillDue`) does not run; no turn is taken after the last.
 */
function runOnePerTurn(due: readonly (() => void)[], stillDue: ReadonlySet<() => void>, from = 0): void {
  let index = from;
  while (index < due.length && !stillDue.has(due[index] as () => void)) index++;
  const callback = due[index];
  if (callback === undefined) return;
  callback();
  if (index + 1 < due.length) setImmediate(() => runOnePerTurn(due, stillDue, index + 1));
}
