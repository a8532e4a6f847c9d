import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasExited, stopChild, trackChild } from '../net/child-processes.js';

const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const AGENT_ENTRY = path.join(WORKSPACE_ROOT, 'apps', 'agent', 'dist', 'main.js');
/** The V8 heap flags `npm run agent` and apps/agent/Dockerfile run the agent with, so tests and benchmarks run it as shipped. */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=12'] as const;

export interface AgentProcessOptions {
  server: string;
  token: string;
  spoolPath: string;
  /** Runs the agent through this command, e.g. ['ip', 'netns', 'exec', 'mw-a'] (a network namespace). */
  prefix?: readonly string[];
  extraArgs?: readonly string[];
  /** Extra environment, e.g. NODE_OPTIONS. */
  env?: Record<string, string>;
}

export interface RunningAgent {
  pid: number | null;
  /** Ids of the results the agent logged as spooled (on disk), in order. */
  spooledIds(): string[];
  output(): string;
  exitCode(): number | null;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGKILL: no clean-up, as a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs the built vantage agent (`node apps/agent/dist/main.js`, the bundle apps/agent/bundle.mjs writes) at debug level, so every spooled result id is in its output. */
export function startAgent(options: AgentProcessOptions): RunningAgent {
  if (!existsSync(AGENT_ENTRY)) throw new Error(`${AGENT_ENTRY} is missing: run "npm run build" first`);
  const args = [
    ...AGENT_NODE_FLAGS,
    AGENT_ENTRY,
    '--server',
    options.server,
    '--token',
    options.token,
    '--spool',
    options.spoolPath,
    '--log-level',
    'debug',
    ...(options.extraArgs ?? []),
  ];
  const [command, ...prefixArgs] = options.prefix && options.prefix.length > 0 ? [...options.prefix, process.execPath] : [process.execPath];
  const child = spawn(command as string, [...prefixArgs, ...args], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  trackChild(child);
  let output = '';
  const ids: string[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"result spooled"')) continue;
      const id = (JSON.parse(line) as { id?: string }).id;
      if (id) ids.push(id);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    pid: child.pid ?? null,
    spooledIds: () => [...ids],
    output: () => output,
    exitCode: () => child.exitCode,
    exited,
    kill: async () => {
      if (!hasExited(child)) child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopChild(child),
  };
}
