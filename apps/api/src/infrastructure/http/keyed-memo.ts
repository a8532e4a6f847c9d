/**
 * Keeps the last value computed for a key and shares a computation in
 * flight: a page every visitor loads (the status page, the ranking's
 * sparklines) is computed once per change of its inputs, not once per
 * request. A failed computation is not kept.
 */
export class KeyedMemo<T> {
  private key: string | null = null;
  private value: Promise<T> | null = null;

  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.value && this.key === key) return this.value;
    const value = compute();
    this.key = key;
    this.value = value;
    value.catch(() => {
      if (this.value === value) {
        this.key = null;
        this.value = null;
      }
    });
    return value;
  }
}
