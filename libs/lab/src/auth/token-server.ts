import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listenOnLoopback } from '../net/listen.js';
import { openssl, pemCertificateToBase64Der } from '../tls/openssl.js';
import { parseScopes, signRegistryToken } from './jwt.js';

export interface TokenServerOptions {
  /** Directory for the signing key and certificate (the caller owns and removes it). */
  dir: string;
  service?: string;
  issuer?: string;
  expiresInSeconds?: number;
}

export interface TokenServerHandle {
  /** The realm to name in the registry's `auth.token.realm`. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the signing certificate: the registry's `rootcertbundle`. */
  rootCertBundlePath: string;
  /** Number of tokens issued so far; lets tests see that a client really did the dance. */
  tokensIssued(): number;
  stop(): Promise<void>;
}

/** Only pulls are granted: the lab plays a public mirror serving anonymous users. */
const GRANTABLE_ACTIONS = new Set(['pull']);

/**
 * An anonymous token endpoint in the shape of Docker Hub's auth.docker.io
 * (distribution docs/spec/auth/token.md): `GET /token?service=..&scope=..`
 * answers `{token, access_token, expires_in, issued_at}`.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServerHandle> {
  const service = options.service ?? 'mirrorwatch-lab-registry';
  const issuer = options.issuer ?? 'mirrorwatch-lab-token-issuer';
  const expiresInSeconds = options.expiresInSeconds ?? 300;
  const keyPath = join(options.dir, 'token-signing.key');
  const certPath = join(options.dir, 'token-signing.pem');
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '7',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      '/CN=mirrorwatch lab token signer',
    ],
    options.dir,
  );
  const privateKeyPem = await readFile(keyPath, 'utf8');
  const certificate = pemCertificateToBase64Der(await readFile(certPath, 'utf8'));
  let issued = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/token') return sendJson(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    const requestedService = url.searchParams.get('service');
    if (requestedService !== null && requestedService !== service) {
      return sendJson(res, 400, { errors: [{ code: 'UNSUPPORTED', message: `unknown service ${requestedService}` }] });
    }
    const access = parseScopes(url.searchParams.getAll('scope'))
      .map((entry) => ({ ...entry, actions: entry.actions.filter((action) => GRANTABLE_ACTIONS.has(action)) }))
      .filter((entry) => entry.actions.length > 0);
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = signRegistryToken(
      { issuer, audience: service, subject: '', access, issuedAt, expiresInSeconds },
      privateKeyPem,
      certificate,
    );
    issued += 1;
    sendJson(res, 200, { token, access_token: token, expires_in: expiresInSeconds, issued_at: new Date(issuedAt * 1000).toISOString() });
  };

  const listening = await listenOnLoopback(createServer(handle));
  return {
    realm: `http://127.0.0.1:${listening.port}/token`,
    service,
    issuer,
    rootCertBundlePath: certPath,
    tokensIssued: () => issued,
    stop: () => listening.close(),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}
