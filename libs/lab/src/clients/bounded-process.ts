import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface BoundedRun {
  /** Exit code; null when the process was killed. */
  code: number | null;
  /** True when our deadline killed it: the client was still waiting (a hung mirror, a stalled body). */
  killed: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Absolute path of an executable found on PATH, or null. */
export function findExecutable(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/**
 * Runs a real client to completion or until `timeoutMs`, then SIGKILLs it.
 * Clients wait a long time on a mirror that accepts and never answers, so an
 * outer deadline is what turns "still waiting" into a verdict.
 */
export function runBounded(
  binary: string,
  args: readonly string[],
  { timeoutMs, env }: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<BoundedRun> {
  const started = performance.now();
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}
