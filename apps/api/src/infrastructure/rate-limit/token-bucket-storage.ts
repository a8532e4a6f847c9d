import type { ThrottlerStorage } from '@nestjs/throttler';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Above this many tracked buckets, full (idle) ones are dropped: they hold no information. */
const SWEEP_THRESHOLD = 10_000;

/**
 * @nestjs/throttler's storage, as a token bucket per key: `limit` tokens of
 * capacity refilled continuously over `ttl`, so a client may burst up to one
 * window's allowance and then gets a steady rate.
 *
 * Why not the library's ThrottlerStorageService: it keeps one expiry time per
 * request and filters that array on every hit (and spreads it into Math.min
 * when blocked), so a request costs O(limit). For one client at the export
 * tier's 12,000 a minute that measured 598 µs per check against 1.3 µs here
 * (600/min: 86 µs against 0.5 µs): a flood from one address would cost the
 * event loop more in the limiter than in serving it
 * (bench/rate-limit-storage/run.ts, docs/benchmarks/rate-limit-storage.md).
 *
 * Per process: with several replicas each enforces its own share. A shared
 * store (the database) would put a write on every cached export, the one
 * path that must stay in memory; abuse protection per replica is enough.
 */
export class TokenBucketStorage implements ThrottlerStorage {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, _throttlerName: string): Promise<StorageRecord> {
    return this.take(key, ttl, limit);
  }

  /** Synchronous core of `increment`. */
  take(key: string, ttlMs: number, limit: number): StorageRecord {
    const now = this.now();
    const refillPerMs = limit / ttlMs;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_THRESHOLD) this.sweep(now, refillPerMs, limit);
      bucket = { tokens: limit, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    const timeToExpire = Math.ceil((limit - bucket.tokens) / refillPerMs / 1000);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { totalHits: Math.ceil(limit - bucket.tokens), timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
    }
    const waitSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    return { totalHits: limit + 1, timeToExpire, isBlocked: true, timeToBlockExpire: waitSeconds };
  }

  get trackedKeys(): number {
    return this.buckets.size;
  }

  private sweep(now: number, refillPerMs: number, limit: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * refillPerMs >= limit) this.buckets.delete(key);
    }
  }
}
