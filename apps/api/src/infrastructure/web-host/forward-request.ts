import {
  request,
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';

/**
 * Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, not the
 * message: neither side's are passed on. Transfer-Encoding and Content-Length
 * are kept on the request (they frame the body Node re-sends as it is); on
 * the answer Node frames the body again itself.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer', 'expect', 'proxy-authorization']);

export interface ForwardTarget {
  port: number;
  agent: Agent;
}

/**
 * Relays one request to the dashboard process's loopback server and its
 * answer back, both bodies streamed: status, headers (beside those the API
 * thread set already, such as the request id) and body as Next gave them.
 * Resolves once the answer is sent or the visitor went away; rejects when
 * the dashboard process could not be reached before any of the answer was
 * sent (the caller then answers as it did for an error Next threw), and cuts
 * the visitor's connection when the process fails halfway through an answer.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, target: ForwardTarget): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error === undefined) resolve();
      else reject(error);
    };
    const upstream = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: req.method,
        path: req.url,
        headers: passedOn(req.headers),
        agent: target.agent,
      },
      (answer) => {
        if (res.headersSent || res.destroyed) {
          answer.destroy();
          settle();
          return;
        }
        const headers: string[] = [];
        for (let index = 0; index + 1 < answer.rawHeaders.length; index += 2) {
          const name = answer.rawHeaders[index] as string;
          const lower = name.toLowerCase();
          if (HOP_BY_HOP.has(lower) || lower === 'transfer-encoding') continue;
          headers.push(name, answer.rawHeaders[index + 1] as string);
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.on('error', (error) => {
          res.destroy(error);
          settle();
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy(error);
        settle();
      } else {
        settle(error);
      }
    });
    // The visitor went away (or the answer is complete): nothing more to relay either way.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      settle();
    });
    req.pipe(upstream);
  });
}

function passedOn(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const connectionTokens = (typeof headers.connection === 'string' ? headers.connection : '')
    .split(',')
    .map((token) => token.trim().toLowerCase());
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.includes(name)) continue;
    result[name] = value;
  }
  return result;
}
