import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScriptSettings } from '@mirrorwatch/lab';
import { sleep, timedGet } from './measure.js';

const WORKSPACE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRODUCT_ENTRY = path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'main.js');

export interface ProductProcess {
  /** performance.now() when the process was spawned: polls say when their slowest answer came. */
  spawnedAt: number;
  /** Milliseconds from spawn until `url` first answers 200 (polled every 20 ms). */
  waitFor(url: string, timeoutMs?: number): Promise<number>;
  /** Peak resident set (VmHWM) so far, in KiB. */
  peakRssKiB(): number;
  /** Lines the product logged at warn level or above. */
  errorLines(): string[];
  /** The first JSON log line whose `msg` is `msg`, parsed; null if none was logged. */
  loggedEvent(msg: string): Record<string, unknown> | null;
  /** SIGTERM, then milliseconds until the process exited. */
  stopAndTime(): Promise<number>;
}

/**
 * The built product as `npm start` runs it (its environment and node flags, then the bench's own), spawned
 * directly so start-up is timed from the spawn.
 */
export function startProductProcess(options: {
  port: number;
  env: Record<string, string>;
  nodeArgs?: string[];
  entry?: string;
  /** Where to write everything the product printed once it has exited (with `--trace-gc`, say). */
  logFile?: string;
}): ProductProcess {
  const startScript = startScriptSettings();
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [...startScript.nodeFlags, ...(options.nodeArgs ?? []), options.entry ?? PRODUCT_ENTRY],
    {
      cwd: WORKSPACE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...startScript.env,
        PORT: String(options.port),
        HOST: '127.0.0.1',
        NEXT_TELEMETRY_DISABLED: '1',
        ...options.env,
      },
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let peak = 0;
  const readPeak = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]));
    } catch {
      // the process has exited: keep the last reading
    }
    return peak;
  };
  return {
    spawnedAt,
    async waitFor(url, timeoutMs = 10 * 60_000) {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the product exited (${child.exitCode}):\n${output.slice(-4000)}`);
        const result = await timedGet(url, 2_000);
        if (result.status === 200) return performance.now() - spawnedAt;
        if (performance.now() - spawnedAt > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    peakRssKiB: readPeak,
    errorLines: () =>
      output
        .split('\n')
        .filter((line) => /"level":(40|50|60)|\b(WARN|ERROR)\b/.test(line))
        .slice(0, 20),
    loggedEvent: (msg) => {
      for (const line of output.split('\n')) {
        if (!line.includes(`"msg":${JSON.stringify(msg)}`)) continue;
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          // a line cut by the pipe's chunking is not the event
        }
      }
      return null;
    },
    async stopAndTime() {
      readPeak();
      const started = performance.now();
      child.kill('SIGTERM');
      await exited;
      const stoppedMs = performance.now() - started;
      if (options.logFile) writeFileSync(options.logFile, output);
      return stoppedMs;
    },
  };
}
