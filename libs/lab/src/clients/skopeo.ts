import { accessSync, constants } from 'node:fs';
import { runBounded, type BoundedRun } from './bounded-process.js';

export const SKOPEO_BINARY = '/usr/bin/skopeo';

/** A skopeo run: exit code (null when killed), output, duration, and whether our deadline killed it. */
export type SkopeoResult = BoundedRun;

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
export function runSkopeo(
  args: readonly string[],
  { timeoutMs = 20_000, env }: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<SkopeoResult> {
  if (!skopeoAvailable()) throw new Error(`skopeo not found at ${SKOPEO_BINARY}: apt-get install -y skopeo`);
  const commandTimeout = `${Math.max(1, Math.floor(timeoutMs / 1000) - 1)}s`;
  return runBounded(SKOPEO_BINARY, ['--command-timeout', commandTimeout, ...args], { timeoutMs, env });
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
