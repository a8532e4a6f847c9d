import { performance } from 'node:perf_hooks';
import type { ProbePhase } from '@mirrorwatch/domain';
import { undiciCore, type Agent, type Dispatcher } from './undici-core.js';
import { classifyError } from './classify-error.js';
import { Deadline } from './deadline.js';
import type { ProbeOptions } from './probe-options.js';
import type { OutboundPolicy } from './outbound/outbound-policy.js';
import { createTimedConnector, type ConnectionTiming, type TimedConnector } from './timed-connector.js';

/**
 * The reason every closed session's agent is destroyed with: the error
 * undici would build itself (same class, code and message) for a request
 * still in flight, made once. Without a reason undici builds one per agent,
 * and Node formats its stack once per socket destroyed with it (streams read
 * `err.stack`): about 4 % of the probe engine thread's time at one light
 * probe every 400 ms (issue 10). Nothing reads this error's stack. Made on
 * the first close, as undici loads on first use (undici-core.ts).
 */
let sessionClosed: Error | null = null;
const sessionClosedError = (): Error => (sessionClosed ??= new (undiciCore().ClientDestroyedError)());

export type ResponseHeaders = Dispatcher.ResponseData['headers'];

/** One request/response whose headers have arrived; its body is still unread. */
export interface Exchange {
  url: URL;
  phase: ProbePhase;
  status: number;
  headers: ResponseHeaders;
  body: Dispatcher.ResponseData['body'];
  /** performance.now() when the request was handed to undici. */
  startedAt: number;
  /** performance.now() when the response headers were parsed. */
  headersAt: number;
  /** Covers headers, then is re-armed for the whole body (an overall deadline, not inactivity). */
  deadline: Deadline;
  /** Every deadline whose expiry could abort this exchange, most specific first. */
  deadlines: readonly (Deadline | null)[];
}

export interface SendInit {
  phase: ProbePhase;
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
  /** A phase-wide budget on top of the per-request one (the token exchange). */
  phaseDeadline?: Deadline | null;
}

/**
 * Everything one probe opens: a private undici Agent (so no connection or TLS
 * session is shared between probes and every timing is a cold start, as for a
 * freshly started dockerd) whose connector records per-phase connection times.
 */
export class ProbeSession {
  private readonly connector: TimedConnector;
  private readonly agent: Agent;

  constructor(
    private readonly options: ProbeOptions,
    caPem: string | null | undefined,
    readonly total: Deadline,
    policy: OutboundPolicy,
  ) {
    this.connector = createTimedConnector({ connectTimeoutMs: options.timeouts.connectMs, caPem, policy });
    const { Agent } = undiciCore();
    this.agent = new Agent({
      connect: this.connector.connect,
      maxHeaderSize: options.caps.headerBytes,
      // Our own Deadline per exchange replaces both: undici's headersTimeout is refreshed by
      // every header line and its bodyTimeout is an inactivity timer, so a drip feed
      // would outlive them; both also run on ~0.5 s-granular timers.
      headersTimeout: 0,
      bodyTimeout: 0,
      // A probe's requests to one origin run one after another, so one connection each: with one, the
      // Agent hands requests to a Client directly instead of through a Pool of them, ~0.5 ms of CPU less
      // per probe on a 2-core VM (issue 10). A body left unread is destroyed (discardBody), which closes
      // its connection, so a later request opens a fresh one rather than waiting behind it.
      connections: 1,
      pipelining: 1,
    });
  }

  get connections(): readonly ConnectionTiming[] {
    return this.connector.connections;
  }

  /** Connections opened for `url`'s origin since `since`, i.e. the ones a request started then had to wait for. */
  connectionsOpenedFor(url: URL, since: number): ConnectionTiming[] {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const origin = `${url.protocol}//${url.hostname}:${port}`;
    return this.connector.connections.filter((timing) => timing.origin === origin && timing.startedAt >= since);
  }

  async send(url: URL, init: SendInit): Promise<Exchange> {
    const { headersMs, connectMs, bodyMs } = this.options.timeouts;
    // Connect has its own timer inside the connector; this one bounds a header drip,
    // which undici's headersTimeout does not (it is refreshed by every header line).
    const deadline = new Deadline(connectMs + headersMs, `no complete response headers within ${headersMs} ms`);
    const deadlines = [deadline, init.phaseDeadline ?? null, this.total];
    // The request's own deadline also fires with the phase's and the probe's: its signal is the request's.
    if (init.phaseDeadline) deadline.follow(init.phaseDeadline);
    deadline.follow(this.total);
    const startedAt = performance.now();
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? 'GET',
        // We never ask for compression: a body we did not ask to be encoded must not be inflated.
        headers: { 'user-agent': this.options.userAgent, 'accept-encoding': 'identity', ...init.headers },
        signal: deadline.signal,
      });
      const headersAt = performance.now();
      deadline.arm(bodyMs, `response body not complete within ${bodyMs} ms`);
      return {
        url,
        phase: init.phase,
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        startedAt,
        headersAt,
        deadline,
        deadlines,
      };
    } catch (error) {
      deadline.clear();
      throw classifyError(error, init.phase, deadlines);
    }
  }

  /** Destroys every socket this probe opened, finished or not. */
  async close(): Promise<void> {
    await this.agent.destroy(sessionClosedError()).catch(() => undefined);
    this.connector.destroyAll();
  }
}

export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
