import { randomBytes } from 'node:crypto';

/**
 * Finished checks, in memory, for `GET /api/checks/{id}`: a bounded map with
 * expiry. Ids are 128 random bits (base64url), so one person's check cannot be
 * found by guessing or counting. Insertion order is age order, so the oldest
 * entries are the first to go when the map is full.
 */
export class CheckStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  static newId(): string {
    return randomBytes(16).toString('base64url');
  }

  put(id: string, value: T): number {
    this.evictExpired();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    const expiresAt = this.now() + this.ttlMs;
    this.entries.set(id, { value, expiresAt });
    return expiresAt;
  }

  get(id: string): T | null {
    const entry = this.entries.get(id);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return null;
    }
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(id);
    }
  }
}
