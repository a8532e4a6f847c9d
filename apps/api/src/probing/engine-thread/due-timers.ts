/** The longest a started probe holds back the next one due at the same time (a hung or distant mirror's). */
export const HAND_OVER_AFTER_MS = 25;

/** Starts a probe; the promise settles when that probe has ended, whatever its outcome. */
export type DueStart = () => Promise<unknown>;

/**
 * Starts probes at epoch-millisecond times with one timer per distinct time:
 * the probes of a wave (probe-waves.ts) share their start time, so they share
 * one wake-up of the engine thread instead of one each (Node groups timers by
 * duration, and the same start time reached from messages that arrived a
 * millisecond apart is two durations, so two wake-ups).
 *
 * A group's probes start one after another, each when the previous one has
 * ended or after HAND_OVER_AFTER_MS, whichever comes first. A probe's
 * connect, first byte and manifest are timed when this thread gets to their
 * socket events, so a sibling's set-up, reads and writes on this thread
 * during that time are read as the mirror's latency: started together (or
 * one per turn of the loop), a wave of four timed the lab's loopback mirror's
 * first byte 1-3 ms behind curl's. A loopback mirror's light probe ends in
 * 2-50 ms, so its sibling mostly starts in the turn it ended: no extra
 * wake-up. A slower one hands over on the timer (one wake-up per sibling) and
 * is measured alongside the next while its own socket mostly waits; the
 * spread of a wave of four grows by 75 ms at most.
 */
export class DueTimers {
  private readonly groups = new Map<number, { timer: NodeJS.Timeout; starts: Set<DueStart> }>();

  /** Calls `start` at `dueAt` (or at once if that has passed), in turn with the others of its time; the returned function cancels it. */
  at(dueAt: number, start: DueStart): () => void {
    let group = this.groups.get(dueAt);
    if (group === undefined) {
      const starts = new Set<DueStart>();
      const timer = setTimeout(
        () => {
          this.groups.delete(dueAt);
          startInTurn([...starts], starts);
        },
        Math.max(0, dueAt - Date.now()),
      );
      group = { timer, starts };
      this.groups.set(dueAt, group);
    }
    const { starts, timer } = group;
    starts.add(start);
    return () => {
      starts.delete(start);
      if (starts.size > 0 || this.groups.get(dueAt)?.timer !== timer) return;
      clearTimeout(timer);
      this.groups.delete(dueAt);
    };
  }
}

/**
 * Starts `due[from]` (the first not cancelled since: gone from `stillDue`),
 * then the rest the same way once it has ended or HAND_OVER_AFTER_MS has
 * passed. No timer is left behind after the last.
 */
function startInTurn(due: readonly DueStart[], stillDue: ReadonlySet<DueStart>, from = 0): void {
  let index = from;
  while (index < due.length && !stillDue.has(due[index] as DueStart)) index++;
  const start = due[index];
  if (start === undefined) return;
  const ended = start();
  if (index + 1 >= due.length) return;
  let handedOver = false;
  const handOver = () => {
    if (handedOver) return;
    handedOver = true;
    clearTimeout(handOverTimer);
    startInTurn(due, stillDue, index + 1);
  };
  const handOverTimer = setTimeout(handOver, HAND_OVER_AFTER_MS);
  ended.then(handOver, handOver);
}
