import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** One run of the built product (apps/api/dist/main.js), killed with SIGKILL by the harness. */
export interface ProductProcess {
  child: ChildProcess;
  origin: string;
  startedAt: number;
  output(): string;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  exited(): boolean;
}

export function spawnProduct(workspaceRoot: string, port: number, env: Record<string, string>): ProductProcess {
  let output = '';
  const child = spawn(process.execPath, [path.join(workspaceRoot, 'apps/api/dist/main.js')], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a kill takes the Prisma migrate child with it, as a power cut would.
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MIRRORWATCH_SERVE_WEB: 'false', ...env },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    startedAt: Date.now(),
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      await exit;
    },
  };
}

/** Polls `check` every `intervalMs` until it is true; false when `timeoutMs` passes or `abandon()` says so first. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
  abandon: () => boolean = () => false,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !abandon()) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}
