import type { Socket } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { buildConnector as UndiciConnector } from 'undici';
import { undiciCore } from './undici-core.js';
import { guardedLookup, refusalFor, type OutboundPolicy } from './outbound/outbound-policy.js';
import { parseIpAddress } from './outbound/ip-address.js';

/** Phase durations of one TCP (+TLS) connection, in milliseconds. */
export interface ConnectionTiming {
  /** `protocol//hostname:port` as undici asked for it. */
  origin: string;
  startedAt: number;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** performance.now() when the socket became usable (after TLS on https). */
  readyAt: number | null;
  /** performance.now() when the first response bytes (decrypted, on https) reached this thread: curl's time_starttransfer point. */
  firstByteAt: number | null;
}

export interface TimedConnector {
  connect: UndiciConnector.connector;
  /** Every connection attempt so far, in order. Filled asynchronously: read after the request ends. */
  readonly connections: readonly ConnectionTiming[];
  /** Destroys sockets still open, including ones still connecting, which undici's Agent does not know yet. */
  destroyAll(): void;
}

/** Raised by our own connect timer; classified as connect_timeout like undici's. */
export class ConnectTimeoutError extends Error {
  readonly code = 'UND_ERR_CONNECT_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`connect timed out after ${timeoutMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/**
 * undici's diagnostics channels report connect as one lump; wrapping its own
 * connector lets us watch the socket's `lookup`, `connect` and `secureConnect`
 * events and split DNS, TCP and TLS the way curl's -w timings do.
 *
 * It is also where the outbound address policy holds: an IP literal is judged
 * before any packet is sent, a name through the guarded `lookup` whose answer
 * the socket then connects to (so a second DNS answer cannot differ from the
 * checked one), and the peer address of every established socket once more
 * before a byte is written on it.
 */
export function createTimedConnector(options: { connectTimeoutMs: number; caPem?: string | null; policy: OutboundPolicy }): TimedConnector {
  const connections: ConnectionTiming[] = [];
  const sockets = new Set<Socket>();
  // timeout 0 disables undici's connect timer: it runs on its coarse "fast timers" (~0.5 s
  // granularity), so a 500 ms budget could last a second. Ours below is a plain setTimeout.
  const base = undiciCore().buildConnector({
    timeout: 0,
    secureContext: secureContextFor(options.caPem ?? null),
    lookup: guardedLookup(options.policy),
  } as UndiciConnector.BuildOptions) as unknown as (connectOptions: UndiciConnector.Options, callback: UndiciConnector.Callback) => Socket;

  const connect: UndiciConnector.connector = (connectOptions, callback) => {
    const port = connectOptions.port || (connectOptions.protocol === 'https:' ? '443' : '80');
    const timing: ConnectionTiming = {
      origin: `${connectOptions.protocol}//${connectOptions.hostname}:${port}`,
      startedAt: performance.now(),
      dnsMs: null,
      connectMs: null,
      tlsMs: null,
      readyAt: null,
      firstByteAt: null,
    };
    connections.push(timing);
    if (parseIpAddress(connectOptions.hostname) !== null) {
      // Node skips `lookup` for IP literals; undici hands them over without brackets.
      const refusal = refusalFor(options.policy, connectOptions.hostname, connectOptions.hostname);
      if (refusal !== null) {
        queueMicrotask(() => callback(refusal, null));
        return;
      }
    }
    let lookedUpAt: number | null = null;
    let connectedAt: number | null = null;
    let connectTimer: NodeJS.Timeout | undefined;
    const socket = base(connectOptions, (...args) => {
      clearTimeout(connectTimer);
      if (args[0] === null) timing.readyAt = performance.now();
      callback(...args);
    });
    sockets.add(socket);
    // The first byte, not the parsed headers: undici parses them and builds the response's body
    // stream and promise before `request()` returns (~0.3 ms on loopback, more while sibling probes
    // share this thread), work curl's time_starttransfer does not include. undici reads the socket
    // on 'readable'; a listener prepended with EventEmitter's own method is only told, it does not
    // change how the stream is read (Readable's `on` is what switches modes).
    socket.prependListener('readable', () => {
      timing.firstByteAt ??= performance.now();
    });
    socket.once('close', () => {
      clearTimeout(connectTimer);
      sockets.delete(socket);
    });
    // Covers TCP and TLS handshakes, like undici's own connect timeout.
    connectTimer = setTimeout(() => socket.destroy(new ConnectTimeoutError(options.connectTimeoutMs)), options.connectTimeoutMs);
    socket.once('lookup', () => {
      lookedUpAt = performance.now();
      timing.dnsMs = lookedUpAt - timing.startedAt;
    });
    // Node >= 20.12 announces each TCP attempt; timing from it leaves socket set-up and
    // happy-eyeballs scheduling out of connectMs, as curl's time_connect does.
    let attemptedAt: number | null = null;
    socket.on('connectionAttempt', () => {
      attemptedAt = performance.now();
    });
    // Prepended: tls.connect registers its `_start` (which builds and writes the ClientHello,
    // ~0.3 ms) as the first 'connect' listener. An appended listener would time the TCP
    // connect after that work and move it out of tlsMs; curl's time_connect is taken
    // before the ClientHello.
    socket.prependOnceListener('connect', () => {
      connectedAt = performance.now();
      // The address actually connected to, checked before tls.connect's ClientHello or any request byte.
      // (A socket that reports no peer address was still connected to a checked one: the literal or
      // the guarded lookup's answer.)
      const peer = socket.remoteAddress;
      const refusal = peer === undefined ? null : refusalFor(options.policy, connectOptions.hostname, peer);
      if (refusal !== null) {
        socket.destroy(refusal);
        return;
      }
      // No lookup event means an IP literal: DNS took no time.
      timing.dnsMs ??= 0;
      timing.connectMs = connectedAt - (attemptedAt ?? lookedUpAt ?? timing.startedAt);
    });
    if (connectOptions.protocol === 'https:') {
      // The handshake ends at Node's 'secure' event (TLSSocket._finishInit, from OpenSSL's
      // handshake-done callback, chain verification included). 'secureConnect' comes ~0.6 ms
      // later, after Node re-reads the peer chain into JS objects for checkServerIdentity:
      // work curl does not do before time_appconnect. 'secure' is internal to node:tls, so
      // 'secureConnect' remains the fallback should a Node version stop emitting it.
      let handshakeDoneAt: number | null = null;
      socket.prependOnceListener('secure', () => {
        handshakeDoneAt = performance.now();
      });
      socket.once('secureConnect', () => {
        if (connectedAt !== null) timing.tlsMs = (handshakeDoneAt ?? performance.now()) - connectedAt;
      });
    }
  };
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return { connect, connections, destroyAll };
}

const secureContexts = new Map<string, SecureContext>();

/**
 * Built once per CA bundle and reused: parsing the ~150 system roots costs
 * tens of milliseconds, which would otherwise land inside the timed connect
 * (tls.connect builds its context synchronously) and inflate connectMs.
 * A private CA adds to the system roots instead of replacing them (Node's
 * `ca` option replaces the default store).
 */
function secureContextFor(caPem: string | null): SecureContext {
  const key = caPem ?? '';
  let context = secureContexts.get(key);
  if (context === undefined) {
    context = createSecureContext(caPem ? { ca: [...rootCertificates, caPem] } : {});
    secureContexts.set(key, context);
  }
  return context;
}
