import { readFileSync } from 'node:fs';
import type { LogLevel } from './log.js';

export interface AgentOptions {
  /** Server origin, e.g. https://mirrorwatch.example.com (no path). */
  server: string;
  token: string;
  /** The spool file (NDJSON); results wait here until the server acknowledges them. */
  spoolPath: string;
  /** Results kept at most; past it the oldest are dropped and counted. */
  spoolMaxResults: number;
  logLevel: LogLevel;
}

export class CliError extends Error {
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`${option}: ${reason}`);
    this.name = 'CliError';
  }
}

export const USAGE = `usage: mirrorwatch-agent --server URL (--token TOKEN | --token-file PATH)
       [--spool PATH] [--spool-max-results N] [--log-level error|warn|info|debug]

  --server             the mirrorwatch server, e.g. https://mirrorwatch.example.com
  --token              the agent token from POST /api/admin/vantages/<id>/tokens
                       (or MIRRORWATCH_AGENT_TOKEN; --token-file keeps it out of ps)
  --spool              where results wait while the server is unreachable (default ./mirrorwatch-agent.spool)
  --spool-max-results  the spool's cap; the oldest results are dropped past it (default 10000)`;

const DEFAULT_SPOOL_MAX = 10_000;

/** Parses argv (without node and the script) and the environment; throws CliError naming the option. */
export function parseAgentArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AgentOptions {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!['--server', '--token', '--token-file', '--spool', '--spool-max-results', '--log-level'].includes(name))
      throw new CliError(name, 'unknown option');
    const value = inline ?? argv[++index];
    if (value === undefined || value === '') throw new CliError(name, 'needs a value');
    values.set(name, value);
  }
  const server = values.get('--server') ?? env.MIRRORWATCH_SERVER;
  if (!server) throw new CliError('--server', 'is required');
  let origin: URL;
  try {
    origin = new URL(server);
  } catch {
    throw new CliError('--server', `"${server}" is not a URL`);
  }
  if (
    !['http:', 'https:'].includes(origin.protocol) ||
    (origin.pathname !== '/' && origin.pathname !== '') ||
    origin.search ||
    origin.username
  ) {
    throw new CliError('--server', 'must be an http(s) origin without path, query or credentials');
  }
  const tokenFile = values.get('--token-file');
  const token = (tokenFile ? readToken(tokenFile) : (values.get('--token') ?? env.MIRRORWATCH_AGENT_TOKEN ?? '')).trim();
  if (token === '') throw new CliError('--token', 'is required (or --token-file, or MIRRORWATCH_AGENT_TOKEN)');
  const maxText = values.get('--spool-max-results') ?? String(DEFAULT_SPOOL_MAX);
  if (!/^\d+$/.test(maxText) || Number(maxText) < 100 || Number(maxText) > 10_000_000)
    throw new CliError('--spool-max-results', 'must be a whole number from 100 to 10000000');
  const logLevel = values.get('--log-level') ?? 'info';
  if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) throw new CliError('--log-level', 'must be error, warn, info or debug');
  return {
    server: origin.origin,
    token,
    spoolPath: values.get('--spool') ?? 'mirrorwatch-agent.spool',
    spoolMaxResults: Number(maxText),
    logLevel: logLevel as LogLevel,
  };
}

function readToken(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError('--token-file', error instanceof Error ? error.message : String(error));
  }
}
