import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputTail, hasExited, stopChild, trackChild } from '../net/child-processes.js';
import { findExecutable, runBounded, type BoundedRun } from './bounded-process.js';

export interface ContainerdBinaries {
  containerdPath: string;
  ctrPath: string;
}

export interface ContainerdDaemon {
  /** gRPC socket for `ctr --address`. */
  address: string;
  /** Scratch space next to the daemon's own root (hosts dirs, per-case files); removed by stop(). */
  dir: string;
  ctrPath: string;
  stop(): Promise<void>;
}

/** Debian's containerd and ctr on PATH (`apt-get install -y containerd`), or null. */
export function findContainerd(): ContainerdBinaries | null {
  const containerdPath = findExecutable('containerd');
  const ctrPath = findExecutable('ctr');
  return containerdPath && ctrPath ? { containerdPath, ctrPath } : null;
}

/**
 * Everything a pull through `ctr content fetch` does not need is disabled:
 * no CRI, no runtimes or tasks (they need cgroups and privileges), no
 * snapshotters but `native`. `content_sharing_policy = "isolated"` matters for
 * honesty: with the default "shared" policy a blob fetched through one mirror
 * in one namespace is reused by every other namespace, so a corrupt or
 * stalled mirror would look fine once a healthy one had been pulled.
 */
function daemonConfig(dir: string, address: string): string {
  const disabled = [
    'io.containerd.grpc.v1.cri',
    'io.containerd.internal.v1.tracing',
    'io.containerd.tracing.processor.v1.otlp',
    'io.containerd.runtime.v1.linux',
    'io.containerd.runtime.v2.task',
    'io.containerd.monitor.v1.cgroups',
    'io.containerd.service.v1.tasks-service',
    'io.containerd.grpc.v1.tasks',
    'io.containerd.internal.v1.restart',
    'io.containerd.snapshotter.v1.aufs',
    'io.containerd.snapshotter.v1.btrfs',
    'io.containerd.snapshotter.v1.devmapper',
    'io.containerd.snapshotter.v1.zfs',
    'io.containerd.snapshotter.v1.overlayfs',
  ];
  return [
    'version = 2',
    `root = "${join(dir, 'root')}"`,
    `state = "${join(dir, 'state')}"`,
    `disabled_plugins = [${disabled.map((name) => `"${name}"`).join(', ')}]`,
    '[grpc]',
    `  address = "${address}"`,
    '[ttrpc]',
    `  address = "${address}.ttrpc"`,
    '[plugins."io.containerd.metadata.v1.bolt"]',
    '  content_sharing_policy = "isolated"',
    '',
  ].join('\n');
}

/**
 * Starts a private containerd (own root, state, socket and config in a temp
 * dir; nothing of the machine's /etc/containerd or /run/containerd is used)
 * and waits until `ctr version` answers.
 */
export async function startContainerd({ containerdPath, ctrPath }: ContainerdBinaries): Promise<ContainerdDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-ctrd-'));
  const address = join(dir, 'containerd.sock');
  const configPath = join(dir, 'config.toml');
  await writeFile(configPath, daemonConfig(dir, address));
  const child = spawn(containerdPath, ['--config', configPath, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  const log = new OutputTail();
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk));
  const stop = async (): Promise<void> => {
    await stopChild(child, 5_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (hasExited(child)) throw new Error(`containerd exited with ${child.exitCode ?? child.signalCode}:\n${log}`);
      if (existsSync(address) && (await runBounded(ctrPath, ['--address', address, 'version'], { timeoutMs: 2_000 })).code === 0) break;
      if (Date.now() > deadline) throw new Error(`containerd did not answer on ${address} within 10 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, dir, ctrPath, stop };
}

/**
 * The hosts.toml a containerd user writes for one mirror (containerd
 * docs/hosts.md): the mirror as the only `[host]`, its CA when it has one,
 * and `server`, which containerd falls back to once every host failed.
 */
export function mirrorHostsToml({ mirrorUrl, caPath, serverUrl }: { mirrorUrl: string; caPath: string | null; serverUrl: string }): string {
  return [
    `server = "${serverUrl}"`,
    '',
    `[host."${mirrorUrl}"]`,
    '  capabilities = ["pull", "resolve"]',
    ...(caPath ? [`  ca = "${caPath}"`] : []),
    '',
  ].join('\n');
}

export interface CtrFetchRequest {
  /** One namespace per fetch: with isolated content sharing, nothing fetched elsewhere is reused. */
  namespace: string;
  /** Written as HOSTS_DIR/<registry of `image`>/hosts.toml, exactly as given. */
  hostsToml: string;
  /** Fully qualified reference, e.g. docker.io/library/alpine:latest. */
  image: string;
  platform?: string;
  timeoutMs: number;
}

export interface CtrFetchRun extends BoundedRun {
  /** The `--hosts-dir` this fetch used. */
  hostsDir: string;
  /** Exit status 0 within the deadline. */
  ok: boolean;
  /** Digests of the image manifests ctr reports having fetched (`manifest-sha256:…` progress lines). */
  manifestDigests: string[];
  /** Whether the namespace holds this digest afterwards. */
  holds(digest: string): Promise<boolean>;
}

/** ctr's progress lines name each fetched object as `<kind>-sha256:<hex>` (index-, manifest-, config-, layer-). */
export function fetchedManifestDigests(output: string): string[] {
  return [...new Set([...output.matchAll(/\bmanifest-(sha256:[0-9a-f]{64})\b/g)].map((match) => match[1] ?? ''))];
}

/**
 * `ctr content fetch --hosts-dir DIR IMAGE --platform linux/amd64`:
 * containerd's own resolver and fetcher (what the CRI plugin uses under
 * kubelet), configured only by the hosts.toml written for this fetch.
 */
export async function ctrContentFetch(daemon: ContainerdDaemon, request: CtrFetchRequest): Promise<CtrFetchRun> {
  const registry = request.image.split('/')[0] ?? '';
  const hostsDir = join(daemon.dir, 'hosts', request.namespace);
  await mkdir(join(hostsDir, registry), { recursive: true });
  await writeFile(join(hostsDir, registry, 'hosts.toml'), request.hostsToml);
  const ctr = (args: string[], timeoutMs: number) =>
    runBounded(daemon.ctrPath, ['--address', daemon.address, '--namespace', request.namespace, ...args], { timeoutMs });
  const run = await ctr(
    ['content', 'fetch', '--hosts-dir', hostsDir, '--platform', request.platform ?? 'linux/amd64', request.image],
    request.timeoutMs,
  );
  return {
    ...run,
    hostsDir,
    ok: run.code === 0 && !run.killed,
    manifestDigests: fetchedManifestDigests(`${run.stdout}\n${run.stderr}`),
    holds: async (digest) => (await ctr(['content', 'get', digest], 5_000)).code === 0,
  };
}
