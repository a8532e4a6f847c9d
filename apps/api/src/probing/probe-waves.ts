/** Share of the interval over which probe starts are spread. */
const STAGGER_SHARE = 0.5;
/** Widest gap between two probe starts, averaged over a wave: enough to avoid bursts, short enough that a long (deep) interval does not delay results by many minutes. */
const MAX_SPACING_MS = 2_000;
/** Random extra delay per wave, as a share of the gap between waves, so cycles do not align with other schedulers. */
const JITTER_SHARE = 0.25;

/**
 * When each of a cycle's `count` probes starts (epoch ms, in the order given):
 * in waves of `waveSize` probes that start at the same instant, one wave
 * after another (all at once when all fit in flight). The wave is at most
 * `concurrency`, the probes allowed in flight; a wave of 1 spreads probes one
 * at a time (deep probes: their blob downloads should overlap as little as
 * the interval allows, or each mirror's throughput reads as a share).
 *
 * Why waves and not one probe at a time at an even spacing: on the 2-core
 * VMs this product is measured on, every wake-up of a thread costs ~0.2 ms of
 * CPU before any work (an idle Node.js process woken 25 times a second spends
 * that much per timer), and an evenly spaced probe wakes both threads for
 * itself alone: the API thread's timer that hands it over, the engine thread's
 * message and its start timer. Probes that start together share those wake-ups
 * (and their sockets' events share epoll returns): the engine's CPU per probe
 * fell by 15-35 % in waves of four at the same rate (bench:probe-waves, issue 10,
 * docs/benchmarks/probe-cpu.md). A wave is never larger than the probes
 * allowed in flight, and each probe of a wave goes to a different mirror.
 *
 * The first wave starts on the schedule itself, without jitter; each later
 * wave gets one random delay for all its probes, so they still start together.
 */
export function probeWaveStarts(options: {
  count: number;
  concurrency: number;
  waveSize: number;
  budgetMs: number;
  startedAt: number;
  random?: () => number;
}): number[] {
  const { count, startedAt } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const waveSize = Math.min(concurrency, Math.max(1, Math.floor(options.waveSize)));
  const random = options.random ?? Math.random;
  // With room in flight for everyone, everyone starts at once (waves of one included, as before waves).
  if (count <= concurrency) return Array.from({ length: count }, () => startedAt);
  const waves = Math.ceil(count / waveSize);
  // One-at-a-time spacing (at most MAX_SPACING_MS between starts), times the wave: the same overall spread.
  const spacingMs = Math.min(MAX_SPACING_MS, (options.budgetMs * STAGGER_SHARE) / count);
  const waveGapMs = spacingMs * waveSize;
  const waveStarts = Array.from({ length: waves }, (_, wave) =>
    wave === 0 ? startedAt : Math.round(startedAt + wave * waveGapMs + random() * waveGapMs * JITTER_SHARE),
  );
  return Array.from({ length: count }, (_, index) => waveStarts[Math.floor(index / waveSize)] ?? startedAt);
}
