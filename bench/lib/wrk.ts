/**
 * wrk (Debian's `wrk`, C, one event loop per thread) as the load generator:
 * it costs far less CPU per request than a Node load generator, so on a
 * 2-core machine more of the second core is left to the server measured.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkFigures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx (429s, 5xx). */
  non2xx3xx: number;
  socketErrors: number;
}

export interface WrkOptions {
  connections: number;
  seconds: number;
  threads?: number;
}

export async function wrk(url: string, { connections, seconds, threads = 1 }: WrkOptions): Promise<WrkFigures> {
  const { stdout } = await run('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url], { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

export function parseWrk(output: string): WrkFigures {
  const requests = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!requests) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSec: Number(requests[1]),
    p50Ms: percentileMs(output, '50%'),
    p99Ms: percentileMs(output, '99%'),
    non2xx3xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: socket
      ? socket
          .slice(1)
          .map(Number)
          .reduce((a, b) => a + b, 0)
      : 0,
  };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function percentileMs(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  if (!match) throw new Error(`wrk printed no ${label} latency:\n${output}`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}
