import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '../net/ports.js';
import { hasExited, stopChild, trackChild } from '../net/child-processes.js';
import { StopWaiting, waitUntil } from '../net/wait-until.js';
import { productEnvForLab } from '../assembly/product-env.js';
import type { Lab } from '../assembly/start-lab.js';

const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PRODUCT_ENTRY = path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'main.js');

/**
 * What `npm start` (package.json `scripts.start`) sets besides the entry:
 * environment assignments before `node` (glibc's arena cap) and node's flags
 * (a smaller young generation), so tests and benchmarks run the product with
 * the memory settings users get.
 */
export function startScriptSettings(): { env: Record<string, string>; nodeFlags: string[] } {
  const manifest = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (manifest.scripts?.start ?? '').split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  return { env, nodeFlags: words[0] === 'node' ? words.slice(1).filter((word) => word.startsWith('--')) : [] };
}

export interface ProductOptions {
  catalogPath: string;
  /**
   * The lab whose catalog this is: the product then takes its allowlist image
   * and freshness reference from the lab (productEnvForLab), as it takes them
   * from Docker Hub in production.
   */
  lab?: Lab;
  /** Serve the dashboard too (needs `next build`); API-only starts faster. */
  serveWeb?: boolean;
  probeIntervalSeconds?: number;
  /** Extra environment (DATABASE_URL, ADMIN_TOKEN, ...). */
  env?: Record<string, string>;
  /** Another build's main.js (a benchmark's baseline); apps/api/dist/main.js by default. */
  entry?: string;
  /** How long start-up (migrations included) may take; 90 s by default, more on a loaded machine. */
  startTimeoutMs?: number;
  /** A fixed port (a restart where clients keep the old address); a free one by default. */
  port?: number;
  /** Flags for node before the entry (a benchmark's --cpu-prof or --heap-prof). */
  nodeArgs?: string[];
}

export interface RunningProduct {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** The product's process id (resident memory in soak and fuzz runs). */
  pid: number | null;
  /** Everything the process printed, for assertions and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs the built product exactly as `npm start` does (node apps/api/dist/main.js)
 * on a free port with its own SQLite file, and waits until it answers.
 */
export async function startProduct(options: ProductOptions): Promise<RunningProduct> {
  // A free port is only free until someone binds it: with test files running side by side another process
  // can take it between getFreePort() and the product's listen(). Then pick another; a fixed port is the caller's.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startProductOnce(options);
    } catch (error) {
      const portTaken = error instanceof Error && /EADDRINUSE/.test(error.message);
      if (!portTaken || options.port !== undefined || attempt === 3) throw error;
    }
  }
}

async function startProductOnce(options: ProductOptions): Promise<RunningProduct> {
  const entry = options.entry ?? PRODUCT_ENTRY;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-product-'));
  const port = options.port ?? (await getFreePort());
  let output = '';
  const startScript = startScriptSettings();
  const child = spawn(process.execPath, [...startScript.nodeFlags, ...(options.nodeArgs ?? []), entry], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...startScript.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${path.join(dataDir, 'mirrorwatch.db')}`,
      MIRRORWATCH_CATALOG: options.catalogPath,
      PROBE_INTERVAL_SECONDS: String(options.probeIntervalSeconds ?? 5),
      MIRRORWATCH_SERVE_WEB: options.serveWeb ? 'true' : 'false',
      LOG_LEVEL: 'info',
      NEXT_TELEMETRY_DISABLED: '1',
      ...(options.lab ? productEnvForLab(options.lab, options.catalogPath) : {}),
      ...options.env,
    },
  });
  trackChild(child);
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      'the product to answer /api/health/live',
      async () => {
        if (hasExited(child)) throw new StopWaiting(`the product exited early:\n${output}`);
        const response = await fetch(`${origin}/api/health/live`);
        return response.ok;
      },
      { timeoutMs: options.startTimeoutMs ?? 90_000, intervalMs: 200 },
    );
    // The API answers before the dashboard has loaded (pages answer 503 with Retry-After until then): tests of pages wait for it.
    if (options.serveWeb)
      await waitUntil(
        'the product to serve its dashboard',
        async () => {
          if (hasExited(child)) throw new StopWaiting(`the product exited early:\n${output}`);
          const response = await fetch(`${origin}/`);
          await response.arrayBuffer();
          return response.status !== 503;
        },
        { timeoutMs: options.startTimeoutMs ?? 90_000, intervalMs: 200 },
      );
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, port, pid: child.pid ?? null, output: () => output, stop };
}

/**
 * Starts several products at once. When one fails to start, the others are
 * stopped before the error is thrown: with a bare Promise.all the ones that
 * did start would be lost to the caller's afterAll and outlive the test run.
 */
export async function startProducts<const T extends readonly ProductOptions[]>(all: T): Promise<{ [K in keyof T]: RunningProduct }> {
  const settled = await Promise.allSettled(all.map((options) => startProduct(options)));
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failure)
    return settled.map((result) => (result as PromiseFulfilledResult<RunningProduct>).value) as { [K in keyof T]: RunningProduct };
  await Promise.allSettled(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw failure.reason;
}
