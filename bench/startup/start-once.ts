import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from '../history/measure.js';

/** When each answer first came, timed from the spawn, and the CPU the process had used by then. */
export interface StartFigures {
  liveMs: number;
  mirrorsMs: number;
  /** First 200 of `/` (null when the dashboard is off). */
  pageMs: number | null;
  /** user + system CPU of the product (and its reaped children) when `/api/health/live` and `/api/mirrors` first answered. */
  cpuMsAtLive: number;
  cpuMsAtMirrors: number;
  /** SIGTERM to exit. */
  shutdownMs: number;
}

export interface StartOptions {
  entry: string;
  cwd: string;
  port: number;
  env: Record<string, string>;
  /** How many mirrors `/api/mirrors` must list to count as a real answer. */
  expectedMirrors: number;
  web: boolean;
  timeoutMs?: number;
}

const POLL_GAP_MS = 20;
const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime + cutime + cstime of a live process, from /proc (fields 14-17 of stat). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0) * CLOCK_TICK_MS;
}

/** One request, 200 or not; a refused connection is `null`. A request the kernel accepted waits for its answer: that answer is the figure. */
async function statusOf(url: string, check?: (body: string) => boolean): Promise<number | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    const body = await response.text();
    return response.status === 200 && check && !check(body) ? -1 : response.status;
  } catch {
    return null;
  }
}

/**
 * Polls `url` every 20 ms from the spawn until it answers 200 (and `check`
 * accepts the body); returns milliseconds since `spawnedAt`.
 */
async function firstOk(url: string, spawnedAt: number, alive: () => void, check?: (body: string) => boolean): Promise<number> {
  for (;;) {
    alive();
    if ((await statusOf(url, check)) === 200) return performance.now() - spawnedAt;
    await sleep(POLL_GAP_MS);
  }
}

/** Starts the built product once, times its first answers, then stops it with SIGTERM. */
export async function startOnce(options: StartOptions): Promise<StartFigures> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [options.entry], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1', MIRRORWATCH_SERVE_WEB: String(options.web) },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const alive = () => {
    if (child.exitCode !== null) throw new Error(`the product exited with ${child.exitCode}:\n${output}`);
    if (performance.now() - spawnedAt > timeoutMs) throw new Error(`no answer within ${timeoutMs} ms:\n${output}`);
  };
  const origin = `http://127.0.0.1:${options.port}`;
  try {
    let cpuMsAtLive = 0;
    let cpuMsAtMirrors = 0;
    const realList = (body: string) => (JSON.parse(body) as unknown[]).length === options.expectedMirrors;
    const [liveMs, mirrorsMs, pageMs] = await Promise.all([
      firstOk(`${origin}/api/health/live`, spawnedAt, alive).then((ms) => {
        cpuMsAtLive = cpuMs(child.pid as number);
        return ms;
      }),
      firstOk(`${origin}/api/mirrors`, spawnedAt, alive, realList).then((ms) => {
        cpuMsAtMirrors = cpuMs(child.pid as number);
        return ms;
      }),
      options.web ? firstOk(`${origin}/`, spawnedAt, alive) : Promise.resolve(null),
    ]);
    const stoppingAt = performance.now();
    child.kill('SIGTERM');
    await exited;
    return { liveMs, mirrorsMs, pageMs, cpuMsAtLive, cpuMsAtMirrors, shutdownMs: performance.now() - stoppingAt };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
