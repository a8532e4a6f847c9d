import type { Logger } from './log.js';
import type { ServerClient } from './server-client.js';
import type { Spool } from './spool.js';

/**
 * Waits after a failed delivery: doubling from 1 s to at most 10 s, so a
 * server coming back gets its results within seconds, while a hundred agents
 * knocking on a server that is away still make only ten requests a second.
 */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 10_000;
/** A refusal of the clock (400 on sentAt) is not fixed by retrying soon. */
const CLOCK_REFUSED_BACKOFF_MS = 60_000;
/**
 * Results of one cycle arrive one by one; waiting this long after the first
 * gathers them into a few batches instead of one request per probe, which
 * keeps an agent far below its per-token request limit.
 */
const LINGER_MS = 1_000;
/**
 * Share of the server's per-token request limit the shipper uses: the rest is
 * for configuration refreshes and for a window that does not start when the
 * server's does. Above the limit, a 429 would hold results back for up to a
 * minute (its Retry-After).
 */
const SHARE_OF_REQUEST_LIMIT = 0.75;

export interface ShipperEvents {
  /** The server no longer accepts this token: the agent stops. */
  unauthorized(message: string): void;
}

/**
 * Ships the spool to the server, oldest first, one batch in flight: the
 * server sees results in the order they were probed, and a batch leaves the
 * spool only after the server acknowledged it (stored, or already stored
 * when a reply was lost). A result the server refuses for good (a mirror
 * deleted since, say) is logged and discarded so it cannot block the queue.
 */
export class Shipper {
  private running: Promise<void> | null = null;
  private backoffMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Least time between two deliveries (0: the server sets no limit). */
  private minGapMs = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private endPacing: (() => void) | null = null;

  constructor(
    private readonly spool: Spool,
    private readonly client: ServerClient,
    private readonly log: Logger,
    private readonly events: ShipperEvents,
    private batchSize: number,
    private readonly vantage: () => string | undefined,
  ) {}

  setBatchSize(size: number): void {
    this.batchSize = Math.max(1, size);
  }

  /** Paces deliveries below the server's per-token limit (requests a minute; 0: none). */
  setRequestLimit(perMinute: number): void {
    this.minGapMs = perMinute > 0 ? Math.ceil(60_000 / (perMinute * SHARE_OF_REQUEST_LIMIT)) : 0;
  }

  /** Ships soon (at once when a full batch waits) unless a delivery is in flight or the agent is waiting out a backoff. */
  kick(): void {
    if (this.stopped || this.running || this.retryTimer) return;
    if (this.spool.size < this.batchSize) {
      this.retryLater(LINGER_MS);
      return;
    }
    this.ship();
  }

  /** Ships now whatever waits (the first delivery after start, and each linger's end). */
  private ship(): void {
    if (this.stopped || this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // A result spooled while the last batch was finishing would otherwise wait for the next probe.
      if (this.spool.size > 0) this.kick();
    });
  }

  /** Waits for the delivery in flight, if any. */
  async settle(): Promise<void> {
    await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.endPacing?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.spool.size > 0) {
      // Before the batch is read: results spooled while waiting travel in it.
      await this.paced();
      if (this.stopped) return;
      const batch = await this.spool.head(this.batchSize);
      const last = batch[batch.length - 1];
      if (!last) return;
      const vantage = this.vantage();
      const body =
        `{"sentAt":${JSON.stringify(new Date().toISOString())},` +
        (vantage ? `"vantage":${JSON.stringify(vantage)},` : '') +
        `"spoolDropped":${this.spool.dropped},"results":[${batch.map((entry) => entry.line).join(',')}]}`;
      const reply = await this.client.postResults(body);
      if (reply.kind === 'ok') {
        await this.spool.acknowledge(last.seq);
        this.backoffMs = 0;
        this.log.debug('batch delivered', {
          results: batch.length,
          stored: reply.value.stored,
          duplicates: reply.value.duplicates,
          clockSkewMs: reply.value.clockSkewMs,
          spooled: this.spool.size,
        });
        continue;
      }
      if (reply.kind === 'unauthorized') {
        this.events.unauthorized(reply.message);
        return;
      }
      if (reply.kind === 'refused') {
        const bad = /^results\[(\d+)\]/.exec(reply.field ?? '');
        const entry = bad ? batch[Number(bad[1])] : undefined;
        if (entry) {
          this.log.error('server refused a result; discarding it', {
            field: reply.field,
            message: reply.message,
            result: entry.line.slice(0, 300),
          });
          await this.spool.discard(entry.seq);
          continue;
        }
        this.log.error('server refused the batch; keeping it spooled', {
          status: reply.status,
          field: reply.field,
          message: reply.message,
        });
        this.retryLater(reply.field === 'sentAt' ? CLOCK_REFUSED_BACKOFF_MS : MAX_BACKOFF_MS);
        return;
      }
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs === 0 ? FIRST_BACKOFF_MS : this.backoffMs * 2);
      this.log.warn('server unavailable; results stay spooled', {
        reason: reply.reason,
        spooled: this.spool.size,
        dropped: this.spool.dropped,
        retryInMs: reply.retryAfterMs ?? this.backoffMs,
      });
      this.retryLater(reply.retryAfterMs ?? this.backoffMs);
      return;
    }
  }

  /** Waits until the gap since the last delivery is at least `minGapMs` (a replay of a full spool is paced too). */
  private async paced(): Promise<void> {
    const waitMs = this.lastSentAt + this.minGapMs - Date.now();
    if (waitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.endPacing = null;
          resolve();
        }, waitMs);
        // stop() ends the wait at once (the agent is not kept alive for a delivery it will not make).
        this.endPacing = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.lastSentAt = Date.now();
  }

  private retryLater(delayMs: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ship();
    }, delayMs);
  }
}
