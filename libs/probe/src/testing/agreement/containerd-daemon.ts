import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBounded } from './bounded-process.js';

export interface ContainerdDaemon {
  /** gRPC socket for `ctr --address`. */
  address: string;
  /** Scratch space next to the daemon's own root (hosts dirs, per-case files); removed by stop(). */
  dir: string;
  ctrPath: string;
  stop(): Promise<void>;
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

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts a private containerd (own root, state, socket and config in a temp
 * dir; nothing of the machine's /etc/containerd or /run/containerd is used)
 * and waits until `ctr version` answers.
 */
export async function startContainerd({ containerdPath, ctrPath }: { containerdPath: string; ctrPath: string }): Promise<ContainerdDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'mw-ctrd-'));
  const address = join(dir, 'containerd.sock');
  const configPath = join(dir, 'config.toml');
  await writeFile(configPath, daemonConfig(dir, address));
  const child = spawn(containerdPath, ['--config', configPath, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    if (!(await exited(child, 5_000))) {
      child.kill('SIGKILL');
      await exited(child, 2_000);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`containerd exited with ${child.exitCode}:\n${log}`);
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
