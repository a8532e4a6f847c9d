/**
 * At most one probe per mirror in flight, across both lanes and across
 * cycles. A cycle finalises at its deadline without waiting for a probe that
 * still runs (a hanging mirror, a loaded machine): that probe is carried and
 * stores its outcome when it ends, and until then no other probe of that
 * mirror starts. So a slow mirror holds only its own slot, never the next
 * cycle of all the others, and the same mirror is never probed twice at once
 * (two probes would race on its state and double our load on it).
 */
export class ProbesInFlight {
  private readonly running = new Map<string, Promise<void>>();

  /**
   * Waits until no probe of `mirrorId` runs, then holds the mirror for the
   * caller, who calls the returned release when its probe has ended. Null
   * when `giveUp` settles first (the cycle's deadline): the mirror's previous
   * probe still runs and this cycle leaves it alone.
   */
  async claim(mirrorId: string, giveUp: Promise<void>): Promise<(() => void) | null> {
    let gaveUp = false;
    const stopWaiting = giveUp.then(() => {
      gaveUp = true;
    });
    for (let current = this.running.get(mirrorId); current !== undefined; current = this.running.get(mirrorId)) {
      await Promise.race([current, stopWaiting]);
      if (gaveUp) return null;
    }
    let release!: () => void;
    const probe = new Promise<void>((resolve) => (release = resolve));
    this.running.set(mirrorId, probe);
    return () => {
      if (this.running.get(mirrorId) === probe) this.running.delete(mirrorId);
      release();
    };
  }

  /** How many mirrors have a probe in flight. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves when every probe in flight now has ended (shutdown: carried probes store their outcomes first). */
  async settle(): Promise<void> {
    await Promise.all(this.running.values());
  }
}
