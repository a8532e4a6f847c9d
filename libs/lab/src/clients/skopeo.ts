import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const SKOPEO_BINARY = '/usr/bin/skopeo';

export interface SkopeoResult {
  /** Exit code; null when it was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when our own deadline killed it (a hung mirror without --command-timeout). */
  killed: boolean;
}

export function skopeoAvailable(): boolean {
  try {
    accessSync(SKOPEO_BINARY, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs Debian's skopeo, a real containers/image client, with a hard deadline:
 * skopeo retries and honours Retry-After, and waits forever on a hanging
 * mirror unless told otherwise, so every lab check bounds it twice
 * (`--command-timeout` inside, SIGKILL outside).
 */
export function runSkopeo(args: readonly string[], { timeoutMs = 20_000, env }: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<SkopeoResult> {
  if (!skopeoAvailable()) throw new Error(`skopeo not found at ${SKOPEO_BINARY}: apt-get install -y skopeo`);
  const started = Date.now();
  const commandTimeout = `${Math.max(1, Math.floor(timeoutMs / 1000) - 1)}s`;
  const child = spawn(SKOPEO_BINARY, ['--command-timeout', commandTimeout, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
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
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: Date.now() - started, killed });
    });
  });
}

/**
 * A registries.conf (containers-registries.conf(5), v2 format) that sends
 * docker.io pulls to one mirror, as a podman/CRI-O user would configure it.
 */
export function registriesConfWithMirror(mirrorHost: string, { insecure }: { insecure: boolean }): string {
  return [
    'unqualified-search-registries = ["docker.io"]',
    '',
    '[[registry]]',
    'prefix = "docker.io"',
    'location = "docker.io"',
    '',
    '[[registry.mirror]]',
    `location = "${mirrorHost}"`,
    `insecure = ${insecure}`,
    '',
  ].join('\n');
}
