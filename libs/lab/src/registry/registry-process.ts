import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasExited, OutputTail, stopChild, trackChild } from '../net/child-processes.js';
import { httpGetStatus } from '../net/http-status.js';
import { getFreePort } from '../net/ports.js';
import { StopWaiting, waitUntil } from '../net/wait-until.js';
import { requireRegistryBinary } from './registry-binary.js';
import { renderRegistryConfig, type RegistryTlsConfig, type TokenAuthConfig } from './registry-config.js';

export interface StartRegistryOptions {
  /** Label used in temp dir names and error messages. */
  name?: string;
  proxyRemoteUrl?: string;
  tokenAuth?: TokenAuthConfig;
  /** Serve https; `caPath` is the PEM used to check readiness (and by clients). */
  tls?: RegistryTlsConfig & { caPath: string };
  startTimeoutMs?: number;
}

export interface RegistryHandle {
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `127.0.0.1:PORT`, the form skopeo and registries.conf want. */
  host: string;
  port: number;
  pid: number;
  /** Temp dir holding config and storage; removed by stop(). */
  dir: string;
  /** Last lines the registry logged (level warn and above). */
  logs(): string;
  stop(): Promise<void>;
}

const BIND_ATTEMPTS = 3;

/**
 * Runs Debian's docker-registry (distribution 2.8.2) on a free loopback port
 * with storage in a fresh temp dir, and resolves once `GET /v2/` answers (200,
 * or 401 when token auth is on). Retries on another port when the one we picked
 * was taken between probing and binding.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RegistryHandle> {
  const binary = requireRegistryBinary();
  const name = options.name ?? 'registry';
  const dir = await mkdtemp(join(tmpdir(), `mirrorwatch-lab-${name}-`));
  let lastError: unknown = null;
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt += 1) {
    try {
      return await startOnce(binary, name, dir, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error && /address already in use/.test(error.message))) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function startOnce(binary: string, name: string, dir: string, options: StartRegistryOptions): Promise<RegistryHandle> {
  const port = await getFreePort();
  const configPath = join(dir, 'config.yml');
  await writeFile(
    configPath,
    renderRegistryConfig({ dir, port, proxyRemoteUrl: options.proxyRemoteUrl, tokenAuth: options.tokenAuth, tls: options.tls }),
  );
  const child = spawn(binary, ['serve', configPath], { cwd: dir, env: registryEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const tail = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const scheme = options.tls ? 'https' : 'http';
  const ca = options.tls ? await readFile(options.tls.caPath, 'utf8') : undefined;
  const url = `${scheme}://127.0.0.1:${port}`;
  try {
    await waitUntil(
      `${name} (docker-registry) to answer GET ${url}/v2/`,
      async () => {
        if (hasExited(child)) throw new ExitedEarly(child);
        const status = await httpGetStatus(`${url}/v2/`, { ca });
        return status === 200 || status === 401;
      },
      { timeoutMs: options.startTimeoutMs ?? 15_000 },
    );
  } catch (error) {
    await stopChild(child);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${name} failed to start: ${reason}\n--- docker-registry output ---\n${tail.toString()}`);
  }
  let stopped: Promise<void> | null = null;
  return {
    name,
    url,
    host: `127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    dir,
    logs: () => tail.toString(),
    stop() {
      stopped ??= (async () => {
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

class ExitedEarly extends StopWaiting {
  constructor(child: ChildProcess) {
    super(`docker-registry exited early (code ${child.exitCode}, signal ${child.signalCode})`);
  }
}

/** distribution reads REGISTRY_* variables as config overrides; a stray one in the caller's env must not leak in. */
function registryEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('REGISTRY_')));
}
