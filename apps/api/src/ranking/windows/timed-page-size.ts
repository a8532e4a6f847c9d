/**
 * The number of rows to ask for in the next page of a long read on the
 * serving thread, steered by how long the last page took on the wall clock:
 * halved when a page ran past the target, grown by half when it took less
 * than half of it, always within [min, max].
 *
 * Why wall time and not a fixed row count: what a page costs depends on the
 * machine, on whether the rows are in the page cache and on what else wants
 * the cores at that moment (stretches around pages of 1,000 rows took up to
 * 139 ms of CPU and 237 ms of wall time at start-up on a slow 2-core VM,
 * issue 10). A health check that arrives meanwhile waits for the page, so
 * the page is what must stay short, wherever it runs.
 */
export class TimedPageSize {
  private rows: number;

  constructor(private readonly limits: { min: number; max: number; first: number; targetMs: number }) {
    const { min, max, first, targetMs } = limits;
    if (!(Number.isInteger(min) && min >= 1 && Number.isInteger(max) && max >= min)) {
      throw new RangeError(`page rows need 1 <= min <= max, got min ${min}, max ${max}`);
    }
    if (!(targetMs > 0)) throw new RangeError(`targetMs must be above 0, got ${targetMs}`);
    this.rows = Math.min(max, Math.max(min, Math.round(first)));
  }

  /** Rows for the next page. */
  get next(): number {
    return this.rows;
  }

  /** Records that the last page took `elapsedMs`, and sizes the next one. */
  took(elapsedMs: number): void {
    const { min, max, targetMs } = this.limits;
    if (elapsedMs > targetMs) this.rows = Math.max(min, Math.floor(this.rows / 2));
    else if (elapsedMs < targetMs / 2) this.rows = Math.min(max, Math.ceil(this.rows * 1.5));
  }
}
