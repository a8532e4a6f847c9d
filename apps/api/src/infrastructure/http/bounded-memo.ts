/**
 * KeyedMemo for many keys at once: per key (one mirror's history window, say)
 * the last value computed for a version of its inputs, shared while in
 * flight, the least recently used key dropped past `capacity` (clients choose
 * the keys, so the map must not grow with what they send). A failed
 * computation is not kept.
 */
export class BoundedMemo<T> {
  private readonly entries = new Map<string, { version: string; value: Promise<T> }>();

  constructor(private readonly capacity: number) {}

  get(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached !== undefined && cached.version === version) {
      this.entries.set(key, cached);
      return cached.value;
    }
    const value = compute();
    const entry = { version, value };
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  size(): number {
    return this.entries.size;
  }
}
