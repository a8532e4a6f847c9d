import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeImage } from './fake-image.js';
import type { Handler } from './test-servers.js';

export type RouteName = 'ping' | 'manifest' | 'platform-manifest' | 'config' | 'layer' | 'token';

export interface RecordedRequest {
  route: RouteName | 'other';
  url: string;
  authorization: string | null;
  accept: string | null;
  acceptEncoding: string | null;
}

export interface FakeRegistryOptions {
  image: FakeImage;
  /** Require `Authorization: Bearer <token>` on repository routes and challenge on /v2/. */
  auth?: { realm: string; service: string; token: string } | null;
  /** Challenge only on repository routes, answer /v2/ with 200 (seen on some mirrors). */
  challengeOnRepositoryOnly?: boolean;
  /** Answer layer GETs with 307 to this base (a CDN), like Docker Hub. */
  blobRedirectBase?: string | null;
  /** Replace one route's behaviour (the hostile cases). */
  overrides?: Partial<Record<RouteName, Handler>>;
  log?: RecordedRequest[];
}

const REPOSITORY = '/v2/library/alpine';

/** A distribution-spec registry serving one image, with hooks to misbehave per route. */
export function fakeRegistry(options: FakeRegistryOptions): Handler {
  const { image } = options;
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const route = routeOf(url.pathname, image);
    options.log?.push({
      route: route ?? 'other',
      url: request.url ?? '',
      authorization: request.headers.authorization ?? null,
      accept: request.headers.accept ?? null,
      acceptEncoding: (request.headers['accept-encoding'] as string | undefined) ?? null,
    });
    const override = route ? options.overrides?.[route] : undefined;
    if (override) return override(request, response);
    if (route === null) return json(response, 404, { errors: [{ code: 'NOT_FOUND', message: 'no route' }] });

    const auth = options.auth;
    if (auth) {
      const challenge = `Bearer realm="${auth.realm}",service="${auth.service}"`;
      const authorized = request.headers.authorization === `Bearer ${auth.token}`;
      const challengeHere = route === 'ping' ? !options.challengeOnRepositoryOnly : true;
      if (challengeHere && !authorized) {
        response.setHeader('www-authenticate', challenge);
        return json(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      }
    }
    switch (route) {
      case 'ping':
        return json(response, 200, {});
      case 'manifest':
        return sendManifest(response, image.index, image.indexType, image.indexDigest);
      case 'platform-manifest':
        return sendManifest(response, image.manifest, image.manifestType, image.manifestDigest);
      case 'config':
      case 'layer': {
        const digest = url.pathname.split('/').at(-1) ?? '';
        if (route === 'layer' && options.blobRedirectBase) {
          response.writeHead(307, { location: `${options.blobRedirectBase}/cdn/${digest}?signature=s3cr3t` });
          return void response.end();
        }
        return sendBlob(response, image.blobs.get(digest) ?? Buffer.alloc(0));
      }
      case 'token':
        return json(response, 404, {});
    }
  };
}

function routeOf(path: string, image: FakeImage): RouteName | null {
  if (path === '/v2/' || path === '/v2') return 'ping';
  if (path === `${REPOSITORY}/manifests/latest` || path === `${REPOSITORY}/manifests/${image.indexDigest}`) return 'manifest';
  if (path === `${REPOSITORY}/manifests/${image.manifestDigest}`) return 'platform-manifest';
  if (path === `${REPOSITORY}/blobs/${image.config.digest}`) return 'config';
  if (path.startsWith(`${REPOSITORY}/blobs/`)) return 'layer';
  if (path === '/token') return 'token';
  return null;
}

/** A CDN that serves blobs by digest and records whether a token leaked to it. */
export function fakeCdn(image: FakeImage, log?: RecordedRequest[]): Handler {
  return (request, response) => {
    log?.push({
      route: 'layer',
      url: request.url ?? '',
      authorization: request.headers.authorization ?? null,
      accept: null,
      acceptEncoding: null,
    });
    const digest = new URL(request.url ?? '/', 'http://x').pathname.split('/').at(-1) ?? '';
    const data = image.blobs.get(digest);
    if (!data) return json(response, 404, {});
    sendBlob(response, data);
  };
}

/** A token server (the realm) answering `{token}` for a pull scope. */
export function fakeTokenServer(token: string, log?: RecordedRequest[]): Handler {
  return (request, response) => {
    log?.push({ route: 'token', url: request.url ?? '', authorization: null, accept: null, acceptEncoding: null });
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.searchParams.get('scope') !== 'repository:library/alpine:pull') return json(response, 400, {});
    json(response, 200, { token, expires_in: 300 });
  };
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': data.length });
  response.end(data);
}

export function sendManifest(response: ServerResponse, body: Buffer, type: string, digest: string): void {
  response.writeHead(200, { 'content-type': type, 'content-length': body.length, 'docker-content-digest': digest });
  response.end(body);
}

export function sendBlob(response: ServerResponse, data: Buffer): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
  response.end(data);
}

export type { IncomingMessage };
