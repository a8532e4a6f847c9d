/**
 * The reference for CPU per check: Uptime Kuma 2.5.3 itself, built from its
 * repository's tag outside this repository (nothing of it is committed),
 * with one HTTP monitor per mirror at the same interval. Its checks are one
 * GET each (of `<mirror>/v2/` here); ours walk /v2/, token and manifest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { getFreePort } from '@mirrorwatch/lab';
import { cpuMs, minorFaults, residentMiB } from './process-figures.js';

export interface KumaFigures {
  checks: number;
  cpuMs: number;
  /** Minor page faults in the window, the process and its children. */
  minorFaults: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  wallSeconds: number;
}

export async function measureKuma(options: {
  kumaDir: string;
  urls: readonly string[];
  intervalSeconds: number;
  warmupSeconds: number;
  seconds: number;
}): Promise<KumaFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuma-bench-'));
  try {
    // First start creates and migrates the database; monitors are read only at start, so they go in between.
    await stopKuma(await startKuma(options.kumaDir, dataDir));
    const database = new Database(join(dataDir, 'kuma.db'));
    const user = database.prepare(`INSERT INTO user (username, password, active) VALUES ('bench', 'not-a-login', 1)`).run().lastInsertRowid;
    const insert = database.prepare(
      `INSERT INTO monitor (name, type, url, interval, active, user_id, maxretries) VALUES (?, 'http', ?, ?, 1, ?, 0)`,
    );
    options.urls.forEach((url, i) => insert.run(`kuma-${i}`, `${url}/v2/`, options.intervalSeconds, user));
    database.close();
    const kuma = await startKuma(options.kumaDir, dataDir);
    try {
      const pid = kuma.pid as number;
      // Kuma starts its monitors 0.3-1 s apart: the warm-up must outlast that.
      await new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000));
      const reader = new Database(join(dataDir, 'kuma.db'), { readonly: true });
      const heartbeats = () => (reader.prepare('SELECT COUNT(*) AS n FROM heartbeat').get() as { n: number }).n;
      const before = heartbeats();
      const cpuBefore = cpuMs(pid);
      const faultsBefore = minorFaults(pid);
      const startedAt = Date.now();
      let rssMax = residentMiB(pid);
      while (Date.now() - startedAt < options.seconds * 1000) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        rssMax = Math.max(rssMax, residentMiB(pid));
      }
      const figures = {
        checks: heartbeats() - before,
        cpuMs: cpuMs(pid) - cpuBefore,
        minorFaults: minorFaults(pid) - faultsBefore,
        rssEndMiB: residentMiB(pid),
        rssMaxMiB: rssMax,
        wallSeconds: (Date.now() - startedAt) / 1000,
      };
      reader.close();
      return figures;
    } finally {
      await stopKuma(kuma);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function startKuma(kumaDir: string, dataDir: string): Promise<ChildProcess> {
  const port = await getFreePort();
  const child = spawn(process.execPath, ['server/server.js', `--port=${port}`, `--data-dir=${dataDir}`], {
    cwd: kumaDir,
    env: { ...process.env, UPTIME_KUMA_DB_TYPE: 'sqlite', UPTIME_KUMA_HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The end of its error output, so a start that fails says why (it logs its own errors there).
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000)));
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`Uptime Kuma exited with ${child.exitCode}; its stderr ended with:\n${stderrTail}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  child.kill('SIGKILL');
  throw new Error('Uptime Kuma did not answer within 120 s');
}

function stopKuma(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
