import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBounded } from './bounded-process.js';
import { outputLines, stableText, type ClientOutcome } from './client-outcome.js';
import type { ContainerdDaemon } from './containerd-daemon.js';

export interface CtrFetchRequest {
  /** One namespace per case: with isolated content sharing, nothing fetched elsewhere is reused. */
  namespace: string;
  /** Mirror base URL as in `registry-mirrors` (http:// or https://). */
  mirrorUrl: string;
  caPath: string | null;
  /**
   * The `server` of hosts.toml. containerd tries the `[host]` entries, then
   * falls back to `server`; pointing it at a dead port keeps a failing mirror
   * failing instead of being rescued by the upstream.
   */
  unreachableServerUrl: string;
  /** Repository under docker.io, e.g. library/alpine. */
  repository: string;
  reference: string;
  timeoutMs: number;
}

export interface CtrFetchOutcome extends ClientOutcome {
  /** Whether the namespace holds this digest afterwards (the engine's platform manifest, say). */
  holds(digest: string): Promise<boolean>;
}

/** The hosts.toml a containerd user writes for a mirror (containerd docs/hosts.md), CA included. */
export function hostsToml({ mirrorUrl, caPath, unreachableServerUrl }: Pick<CtrFetchRequest, 'mirrorUrl' | 'caPath' | 'unreachableServerUrl'>): string {
  return [
    `server = "${unreachableServerUrl}"`,
    '',
    `[host."${mirrorUrl}"]`,
    '  capabilities = ["pull", "resolve"]',
    ...(caPath ? [`  ca = "${caPath}"`] : []),
    '',
  ].join('\n');
}

/** ctr prints its final error as `ctr: ...` after the progress bars. */
function ctrReason(output: string): string | null {
  const lines = outputLines(output);
  const line = [...lines].reverse().find((candidate) => candidate.startsWith('ctr: ')) ?? lines.at(-1);
  return line ? stableText(line.replace(/^ctr: /, '')) : null;
}

/**
 * `ctr content fetch --hosts-dir DIR docker.io/REPO:REF --platform linux/amd64`:
 * containerd's own resolver and fetcher (what the CRI plugin uses under
 * kubelet), with the mirror configured in DIR/docker.io/hosts.toml.
 */
export async function ctrFetch(daemon: ContainerdDaemon, request: CtrFetchRequest): Promise<CtrFetchOutcome> {
  const hostsDir = join(daemon.dir, 'hosts', request.namespace);
  await mkdir(join(hostsDir, 'docker.io'), { recursive: true });
  await writeFile(join(hostsDir, 'docker.io', 'hosts.toml'), hostsToml(request));
  const ctr = (args: string[], timeoutMs: number) =>
    runBounded(daemon.ctrPath, ['--address', daemon.address, '--namespace', request.namespace, ...args], { timeoutMs });
  const run = await ctr(
    ['content', 'fetch', '--hosts-dir', hostsDir, '--platform', 'linux/amd64', `docker.io/${request.repository}:${request.reference}`],
    request.timeoutMs,
  );
  const usable = run.code === 0 && !run.killed;
  return {
    usable,
    exitCode: run.code,
    killed: run.killed,
    durationMs: run.durationMs,
    reason: usable ? null : run.killed ? `killed after ${request.timeoutMs / 1000} s` : ctrReason(`${run.stdout}\n${run.stderr}`),
    holds: async (digest) => (await ctr(['content', 'get', digest], 5_000)).code === 0,
  };
}
