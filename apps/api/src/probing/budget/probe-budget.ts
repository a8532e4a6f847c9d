/**
 * A per-mirror cap on probes in a sliding hour. Public mirrors rate-limit by
 * IP (DaoCloud: ~20 requests/min), and admin "probe now" calls, deep-probe
 * confirmations and a short PROBE_INTERVAL_SECONDS all add up: the budget keeps
 * our footprint bounded whatever triggers the probes.
 */
export class ProbeBudget {
  private readonly spent = new Map<string, number[]>();

  constructor(
    private readonly probesPerHour: number,
    private readonly windowMs = 3_600_000,
  ) {}

  /** Takes one probe from `mirrorId`'s budget; false when it is used up. */
  take(mirrorId: string, now: number): boolean {
    const recent = (this.spent.get(mirrorId) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.probesPerHour) {
      this.spent.set(mirrorId, recent);
      return false;
    }
    recent.push(now);
    this.spent.set(mirrorId, recent);
    return true;
  }
}
