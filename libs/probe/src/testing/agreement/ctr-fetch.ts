import { ctrContentFetch, mirrorHostsToml, type ContainerdDaemon } from '@mirrorwatch/lab';
import { outputLines, stableText, type ClientOutcome } from './client-outcome.js';

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

/** ctr prints its final error as `ctr: ...` after the progress bars. */
function ctrReason(output: string): string | null {
  const lines = outputLines(output);
  const line = [...lines].reverse().find((candidate) => candidate.startsWith('ctr: ')) ?? lines.at(-1);
  return line ? stableText(line.replace(/^ctr: /, '')) : null;
}

/** One agreement case through the lab's private containerd, the mirror alone in hosts.toml. */
export async function ctrFetch(daemon: ContainerdDaemon, request: CtrFetchRequest): Promise<CtrFetchOutcome> {
  const run = await ctrContentFetch(daemon, {
    namespace: request.namespace,
    hostsToml: mirrorHostsToml({ mirrorUrl: request.mirrorUrl, caPath: request.caPath, serverUrl: request.unreachableServerUrl }),
    image: `docker.io/${request.repository}:${request.reference}`,
    platform: 'linux/amd64',
    timeoutMs: request.timeoutMs,
  });
  return {
    usable: run.ok,
    exitCode: run.code,
    killed: run.killed,
    durationMs: run.durationMs,
    reason: run.ok ? null : run.killed ? `killed after ${request.timeoutMs / 1000} s` : ctrReason(`${run.stdout}\n${run.stderr}`),
    holds: run.holds,
  };
}
