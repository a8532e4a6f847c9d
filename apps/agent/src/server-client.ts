import type { AgentConfigDto, AgentResultAckDto } from '@mirrorwatch/api-types';
import { undiciCore } from '@mirrorwatch/probe';

/** What one call to the server came to; only `ok` moves anything forward. */
export type ServerReply<T> =
  | { kind: 'ok'; value: T }
  /** Wrong or revoked token (401): the agent stops, probing for nobody would only load the mirrors. */
  | { kind: 'unauthorized'; message: string }
  /** The server read the request and refuses it (400/403/413): `field` says what. */
  | { kind: 'refused'; status: number; field: string | null; message: string }
  /** Unreachable, timed out, 429 or 5xx: try again later (after `retryAfterMs` when the server said). */
  | { kind: 'unavailable'; reason: string; retryAfterMs: number | null };

const TIMEOUT_MS = 15_000;
/** Answers from our own server are small JSON documents. */
const MAX_REPLY_BYTES = 4 * 1024 * 1024;

/** The agent's side of /api/agent/*: one keep-alive connection pool, bounded waits, typed outcomes. */
export class ServerClient {
  private readonly dispatcher = new (undiciCore().Agent)({
    connections: 2,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    connectTimeout: TIMEOUT_MS,
  });

  constructor(
    private readonly origin: string,
    private readonly token: string,
  ) {}

  fetchConfig(): Promise<ServerReply<AgentConfigDto>> {
    return this.call<AgentConfigDto>('GET', '/api/agent/config', undefined);
  }

  /** `body` is the batch already serialized (spooled results are shipped without re-parsing them). */
  postResults(body: string): Promise<ServerReply<AgentResultAckDto>> {
    return this.call<AgentResultAckDto>('POST', '/api/agent/results', body);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: string | undefined): Promise<ServerReply<T>> {
    try {
      // The dispatcher's own request (not undici's top-level one): the probe engine loads only that part of undici.
      const response = await this.dispatcher.request({
        origin: this.origin,
        path,
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await readCapped(response.body);
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { kind: 'ok', value: JSON.parse(text) as T };
      const error = parseError(text);
      if (status === 401) return { kind: 'unauthorized', message: error.message };
      if (status === 429 || status >= 500) {
        const retryAfter = Number(response.headers['retry-after']);
        return {
          kind: 'unavailable',
          reason: `HTTP ${status}: ${error.message}`,
          retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : null,
        };
      }
      return { kind: 'refused', status, field: error.field, message: error.message };
    } catch (error) {
      return {
        kind: 'unavailable',
        reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        retryAfterMs: null,
      };
    }
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_REPLY_BYTES) throw new Error(`the server's reply exceeds ${MAX_REPLY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseError(text: string): { message: string; field: string | null } {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; field?: unknown };
    return {
      message: typeof parsed.message === 'string' ? parsed.message : text.slice(0, 200),
      field: typeof parsed.field === 'string' ? parsed.field : null,
    };
  } catch {
    return { message: text.slice(0, 200), field: null };
  }
}
