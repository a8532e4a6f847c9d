import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Operation } from './openapi-operations.js';
import { requestArbitrary, type FuzzRequest } from './request-arbitraries.js';

export interface FuzzOptions {
  origin: string;
  operations: Operation[];
  cases: number;
  seed: number;
  adminToken: string;
  /** Ids that exist (so some requests get past the 404). */
  knownIds: string[];
  /** The product's process id, for its resident memory. */
  pid: number | null;
  concurrency?: number;
}

export interface Violation {
  request: FuzzRequest;
  status: number;
  problem: string;
  body: string;
}

export interface FuzzFigures {
  cases: number;
  skippedNonLoopbackUrls: number;
  /** Requests whose kept-alive connection was closed under them, then answered when sent again on a new one. */
  retriedOnNewConnection: number;
  byStatus: Record<number, number>;
  byOperation: Record<string, number>;
  violations: Violation[];
  rssStartMiB: number | null;
  rssMaxMiB: number | null;
  rssEndMiB: number | null;
  durationMs: number;
}

/** Statuses whose body must name the offending input in `field`. */
const FIELD_STATUSES = new Set([400, 413, 415, 422]);

export function residentMiB(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** A body that names an http(s) host other than loopback is never sent: the fuzzer talks to 127.0.0.1 only. */
function leavesLoopback(request: FuzzRequest): boolean {
  const text = `${request.target} ${request.body ?? ''}`;
  for (const match of text.matchAll(/https?:\/\/([^/\s"'?#\\]*)/gi)) {
    const host = (match[1] ?? '').replace(/^.*@/, '').replace(/:\d*$/, '').toLowerCase();
    if (host !== '' && !['127.0.0.1', 'localhost', '[::1]'].includes(host)) return true;
  }
  return false;
}

/** What the response breaks of "no 5xx, every 4xx a JSON error, 400-class naming the field"; null when fine. */
export function judge(status: number, contentType: string, body: string): string | null {
  if (status >= 500) return `server error ${status}`;
  if (status < 400 || (status === 404 && body === '')) return null;
  if (!contentType.includes('json')) {
    // The badge answers an SVG 404 on purpose (an image tag shows "unknown").
    return contentType.includes('image/svg+xml') && status === 404 ? null : `${status} is not JSON (${contentType || 'no content type'})`;
  }
  let parsed: { field?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return `${status} body is not valid JSON`;
  }
  if (typeof parsed.message !== 'string' && !Array.isArray(parsed.message)) return `${status} without a message`;
  if (FIELD_STATUSES.has(status) && (typeof parsed.field !== 'string' || parsed.field === '')) return `${status} does not name the field`;
  return null;
}

/** The fuzzer's own status for a request that got no HTTP answer at all (the body says why). */
const CONNECTION_LOST = 599;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A server may close a kept-alive connection just as the client sends on it
 * (its idle timeout fires first). undici sends idempotent requests again on
 * its own, but not a PATCH or POST with a body: that is a property of HTTP/1.1
 * keep-alive, not of the product's answer. Sent again on a new connection,
 * such a request is judged by the answer it then gets; a server that drops
 * the request itself fails again.
 */
function isKeepAliveRace(errorText: string): boolean {
  return /UND_ERR_SOCKET|ECONNRESET|EPIPE|other side closed/.test(errorText);
}

async function send(origin: string, request: FuzzRequest, options: { fresh?: boolean } = {}): Promise<Response> {
  // A new agent holds no kept-alive connection: the request goes out on a connection of its own.
  const dispatcher = options.fresh ? new Agent() : undefined;
  try {
    const init = {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual' as const,
      signal: AbortSignal.timeout(30_000),
    };
    const response = dispatcher
      ? await undiciFetch(`${origin}${request.target}`, { ...init, dispatcher })
      : await fetch(`${origin}${request.target}`, init);
    const bytes = await response.arrayBuffer();
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : bytes, {
      status: response.status,
      headers: [...response.headers],
    });
  } catch (error) {
    // Keep the cause (a socket error code, a timeout): "fetch failed" alone says nothing.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return new Response(`${String(error)}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`, { status: CONNECTION_LOST });
  } finally {
    await dispatcher?.close();
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzFigures> {
  const started = Date.now();
  const requests = fc.sample(requestArbitrary(options.operations, options.knownIds, options.adminToken), {
    numRuns: options.cases,
    seed: options.seed,
  });
  const figures: FuzzFigures = {
    cases: 0,
    skippedNonLoopbackUrls: 0,
    retriedOnNewConnection: 0,
    byStatus: {},
    byOperation: {},
    violations: [],
    rssStartMiB: residentMiB(options.pid),
    rssMaxMiB: null,
    rssEndMiB: null,
    durationMs: 0,
  };
  let rssMax = figures.rssStartMiB ?? 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, residentMiB(options.pid) ?? 0)), 250);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next++] as FuzzRequest;
      if (leavesLoopback(request)) {
        figures.skippedNonLoopbackUrls += 1;
        continue;
      }
      let response = await send(options.origin, request);
      if (response.status === CONNECTION_LOST && isKeepAliveRace(await response.clone().text())) {
        figures.retriedOnNewConnection += 1;
        response = await send(options.origin, request, { fresh: true });
      }
      const body = await response.text();
      figures.cases += 1;
      figures.byStatus[response.status] = (figures.byStatus[response.status] ?? 0) + 1;
      figures.byOperation[request.operation] = (figures.byOperation[request.operation] ?? 0) + 1;
      const problem = judge(response.status, response.headers.get('content-type') ?? '', body);
      if (problem !== null)
        figures.violations.push({
          request: { ...request, body: request.body?.slice(0, 300) ?? null },
          status: response.status,
          problem,
          body: body.slice(0, 300),
        });
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, () => worker()));
  } finally {
    clearInterval(sampler);
  }
  figures.rssEndMiB = residentMiB(options.pid);
  figures.rssMaxMiB = Math.max(rssMax, figures.rssEndMiB ?? 0) || null;
  figures.durationMs = Date.now() - started;
  return figures;
}
