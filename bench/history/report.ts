/** The benchmark's figures and their Markdown, beside issue 16's goals. */

export interface EndpointFigures {
  name: string;
  route: string;
  bytes: number;
  non200: number;
  p50: number;
  p95: number;
  max: number;
  referenceP50: number;
  referenceP95: number;
}

interface PollFigures {
  max: number;
  /** When the slowest request was sent, ms after the product was spawned. */
  maxAtMs: number;
  count: number;
  failures: number;
}

export interface BenchFigures {
  database: string;
  machine: string;
  seed: { mirrors: number; probeRows: number; rollupMode: string; bytesPerProbeRow: number; databaseBytes: number; monthEnd: string };
  intervalSeconds: number;
  firstLiveMs: number;
  firstMirrorsMs: number;
  sawCatchingUp: boolean;
  /** False when the backfill outlasted --catch-up-limit; catchUpProgress is where it was then. */
  catchUpFinished: boolean;
  catchUpProgress: { done: number; total: number } | null;
  catchUpMs: number;
  /** 1, 5 and 15 minute load averages of the machine (other work shares its CPUs). */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  liveDuringCatchUp: PollFigures;
  mirrorsDuringCatchUp: PollFigures;
  cyclesSeen: number;
  healthOverCycles: PollFigures;
  readinessOverCycles: PollFigures;
  endpoints: EndpointFigures[];
  rssPeakMiB: number;
  shutdownMs: number;
  productErrors: string[];
  /** The rolling windows' start-up load (a day of local probes), as the product logged it; null if it did not finish in the run or the build does not log its statements and time. */
  windowsLoad: { probes: number; pages: number; ms: number } | null;
  /** Live mirrors forwarded to the registry; a seeded port held by another process stays closed (that mirror fails as dead). */
  forwardedMirrors: number;
  portsTaken: number[];
}

const PAGE_P95_GOAL_MS = 200;
const API_P95_GOAL_MS = 50;
const STATUS_PAGE_MAX_BYTES = 250 * 1024;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export function renderReport(f: BenchFigures): string {
  const isPage = (e: EndpointFigures) => e.name.includes('(page)');
  const rows = f.endpoints.map((e) => {
    const goal = isPage(e) ? PAGE_P95_GOAL_MS : API_P95_GOAL_MS;
    const sizeGoal =
      e.route === '/status' ? ` (goal < ${STATUS_PAGE_MAX_BYTES / 1024} KiB: ${verdict(e.bytes < STATUS_PAGE_MAX_BYTES)})` : '';
    return `| ${e.name} | ${(e.bytes / 1024).toFixed(1)} KiB${sizeGoal} | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.max)} | ${e.non200} | ${ms(e.referenceP50)} / ${ms(e.referenceP95)} | ≤ ${goal} ms: ${verdict(e.p95 <= goal)} |`;
  });
  const lines = [
    `### ${f.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    '',
    `Machine: ${f.machine}. Seeded month: ${f.seed.mirrors} mirrors, ${f.seed.probeRows.toLocaleString('en')} probe rows (month ending ${f.seed.monthEnd}), rollups seeded: ${f.seed.rollupMode}, ${(f.seed.databaseBytes / 2 ** 20).toFixed(0)} MiB, ${f.seed.bytesPerProbeRow} B per probe row. Load average (1/5/15 min) at start ${f.loadAverageAtStart.join(' / ')}, at end ${f.loadAverageAtEnd.join(' / ')} (the machine is shared). Probe interval ${f.intervalSeconds} s. Live mirrors forwarded to the registry: ${f.forwardedMirrors}${f.portsTaken.length > 0 ? ` (ports held by other processes, so probed as dead: ${f.portsTaken.join(', ')})` : ''}.`,
    '',
    '| figure | measured | goal |',
    '|---|---|---|',
    `| first answer of \`/api/health/live\` after spawn | ${ms(f.firstLiveMs)} | ≤ 5 s: ${verdict(f.firstLiveMs <= 5000)} |`,
    `| first answer of \`/api/mirrors\` after spawn | ${ms(f.firstMirrorsMs)} | ≤ 5 s: ${verdict(f.firstMirrorsMs <= 5000)} |`,
    f.catchUpFinished
      ? `| rollup catch-up until readiness says "ready" (readiness said "catching_up": ${f.sawCatchingUp ? 'yes' : 'no'}) | ${ms(f.catchUpMs)} | (serving throughout) |`
      : `| rollup catch-up: still running when the run moved on after ${ms(f.catchUpMs)} (${f.catchUpProgress ? `${f.catchUpProgress.done} of ${f.catchUpProgress.total} mirror-days` : 'no progress read'}); everything below was measured during it | - | (serving throughout) |`,
    `| max \`/api/health/live\` latency during the catch-up phase (${f.liveDuringCatchUp.count} polls, ${f.liveDuringCatchUp.failures} failed) | ${ms(f.liveDuringCatchUp.max)}${slowestAt(f.liveDuringCatchUp)} | ≤ 100 ms: ${verdict(f.liveDuringCatchUp.max <= 100 && f.liveDuringCatchUp.failures === 0)} |`,
    `| max \`/api/mirrors\` latency during catch-up (${f.mirrorsDuringCatchUp.count} polls, ${f.mirrorsDuringCatchUp.failures} failed) | ${ms(f.mirrorsDuringCatchUp.max)}${slowestAt(f.mirrorsDuringCatchUp)} | - |`,
    `| max \`/api/health/live\` latency over ${f.cyclesSeen} light probe cycles (${f.healthOverCycles.count} polls, ${f.healthOverCycles.failures} failed) | ${ms(f.healthOverCycles.max)}${slowestAt(f.healthOverCycles)} | ≤ 100 ms: ${verdict(f.healthOverCycles.max <= 100 && f.healthOverCycles.failures === 0 && f.cyclesSeen >= 10)} |`,
    `| max \`/api/health/ready\` latency over the same cycles (${f.readinessOverCycles.count} polls, ${f.readinessOverCycles.failures} not 200) | ${ms(f.readinessOverCycles.max)}${slowestAt(f.readinessOverCycles)} | - |`,
    `| peak RSS (VmHWM) | ${f.rssPeakMiB.toFixed(1)} MiB | - |`,
    `| shutdown after SIGTERM | ${ms(f.shutdownMs)} | ≤ 5 s: ${verdict(f.shutdownMs <= 5000)} |`,
    `| rolling windows loaded at start (a day of local probes) | ${
      f.windowsLoad
        ? `${f.windowsLoad.probes.toLocaleString('en-US')} probes, ${f.windowsLoad.pages} statements, ${ms(f.windowsLoad.ms)}`
        : 'not logged'
    } | - |`,
    '',
    `Endpoints, sequential, ${'while probe cycles run'}; reference: node:http sending the same bytes from memory, same client, same run.`,
    '',
    '| endpoint | size | p50 | p95 | max | non-200 | reference p50 / p95 | goal (p95) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
  if (f.productErrors.length > 0)
    lines.push(
      '',
      'Warnings and errors the product logged (first 20):',
      '',
      '```',
      ...f.productErrors.map((line) => line.slice(0, 300)),
      '```',
    );
  return lines.join('\n');
}

/** When a poll's slowest answer was asked, after spawn: matches a spike with a stall trace or the product's log. */
function slowestAt(poll: PollFigures): string {
  return Number.isFinite(poll.maxAtMs) ? ` (at ${(poll.maxAtMs / 1000).toFixed(1)} s)` : '';
}
