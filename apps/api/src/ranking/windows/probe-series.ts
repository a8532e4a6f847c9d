/** What the rolling windows need of one stored probe (a row of the local vantage). */
export interface WindowProbe {
  startedAt: Date;
  ok: boolean;
  failureClass: string | null;
  /** Counts toward uptime and speed: a probe of the main image (not the allowlist check's). */
  main: boolean;
  manifestMs: number | null;
}

export interface SeriesCounts {
  probes: number;
  successes: number;
  integrityFailures: number;
  timeouts: number;
  connectTimeouts: number;
}

const MAIN = 1;
const OK = 2;
const INTEGRITY = 4;
const TIMEOUT = 8;
const CONNECT_TIMEOUT = 16;
const INITIAL_CAPACITY = 64;

function flagsOf(probe: WindowProbe): number {
  let flags = probe.main ? MAIN : 0;
  if (probe.ok) flags |= OK;
  else if (probe.failureClass === 'integrity') flags |= INTEGRITY;
  else if (probe.failureClass === 'timeout') flags |= TIMEOUT;
  else if (probe.failureClass === 'connect_timeout') flags |= CONNECT_TIMEOUT;
  return flags;
}

/**
 * One mirror's probes over the stability window, oldest first, in typed
 * arrays (13 bytes a probe: a day of 20 s probes of 50 mirrors is under
 * 3 MiB and no garbage for the collector), with running counts so a read
 * costs nothing per probe but the hour of latencies it returns.
 */
export class ProbeSeries {
  private startedAt = new Float64Array(INITIAL_CAPACITY);
  private manifestMs = new Float64Array(INITIAL_CAPACITY);
  private flags = new Uint8Array(INITIAL_CAPACITY);
  private head = 0;
  private end = 0;
  private readonly sums: SeriesCounts = { probes: 0, successes: 0, integrityFailures: 0, timeouts: 0, connectTimeouts: 0 };

  /** Adds a probe in start order (a deep probe can be stored after later light ones). Probes nothing counts are not kept. */
  add(probe: WindowProbe): void {
    const flags = flagsOf(probe);
    if ((flags & (MAIN | INTEGRITY)) === 0) return;
    if (this.end === this.startedAt.length) this.grow();
    const at = probe.startedAt.getTime();
    let index = this.end;
    while (index > this.head && (this.startedAt[index - 1] ?? 0) > at) index -= 1;
    if (index < this.end) {
      this.startedAt.copyWithin(index + 1, index, this.end);
      this.manifestMs.copyWithin(index + 1, index, this.end);
      this.flags.copyWithin(index + 1, index, this.end);
    }
    this.startedAt[index] = at;
    this.manifestMs[index] = probe.manifestMs ?? Number.NaN;
    this.flags[index] = flags;
    this.end += 1;
    this.count(flags, 1);
  }

  /** Forgets probes started before `since` (the window only moves forward). */
  evictBefore(since: number): void {
    while (this.head < this.end && (this.startedAt[this.head] ?? 0) < since) {
      this.count(this.flags[this.head] ?? 0, -1);
      this.head += 1;
    }
  }

  counts(): SeriesCounts {
    return { ...this.sums };
  }

  /** Manifest times of successful main-image probes started at or after `since`, oldest first. */
  manifestLatenciesSince(since: number): number[] {
    let first = this.end;
    while (first > this.head && (this.startedAt[first - 1] ?? 0) >= since) first -= 1;
    const latencies: number[] = [];
    for (let index = first; index < this.end; index += 1) {
      const flags = this.flags[index] ?? 0;
      const ms = this.manifestMs[index] ?? Number.NaN;
      if ((flags & (MAIN | OK)) === (MAIN | OK) && !Number.isNaN(ms)) latencies.push(ms);
    }
    return latencies;
  }

  get size(): number {
    return this.end - this.head;
  }

  private count(flags: number, delta: number): void {
    if (flags & INTEGRITY) this.sums.integrityFailures += delta;
    if ((flags & MAIN) === 0) return;
    this.sums.probes += delta;
    if (flags & OK) this.sums.successes += delta;
    if (flags & TIMEOUT) this.sums.timeouts += delta;
    if (flags & CONNECT_TIMEOUT) this.sums.connectTimeouts += delta;
  }

  /** Drops the evicted head, and doubles the buffers when the live part fills more than half of them. */
  private grow(): void {
    const live = this.end - this.head;
    const capacity = live * 2 > this.startedAt.length ? this.startedAt.length * 2 : this.startedAt.length;
    const move = <T extends Float64Array | Uint8Array>(from: T, to: T): T => {
      to.set(from.subarray(this.head, this.end));
      return to;
    };
    this.startedAt = move(this.startedAt, new Float64Array(capacity));
    this.manifestMs = move(this.manifestMs, new Float64Array(capacity));
    this.flags = move(this.flags, new Uint8Array(capacity));
    this.head = 0;
    this.end = live;
  }
}
