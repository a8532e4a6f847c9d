import type { IncomingMessage, ServerResponse } from 'node:http';

export type RegistryRequestKind = 'ping' | 'manifest' | 'blob' | 'other';

/** A request seen by the fault proxy, classified by registry API route (distribution docs/spec/api.md). */
export interface ProxiedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  kind: RegistryRequestKind;
  /** `library/alpine` for manifest and blob routes, null otherwise. */
  repository: string | null;
  /** Tag or digest of a manifest route, digest of a blob route. */
  reference: string | null;
}

const MANIFEST_ROUTE = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
// Upload routes (/blobs/uploads/...) are not blob reads and are left alone.
const BLOB_ROUTE = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]+)$/;

export function classifyRegistryRequest(req: IncomingMessage, res: ServerResponse): ProxiedRequest {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  if (path === '/v2' || path === '/v2/') return { req, res, url, kind: 'ping', repository: null, reference: null };
  const manifest = MANIFEST_ROUTE.exec(path);
  if (manifest) return { req, res, url, kind: 'manifest', repository: manifest[1] ?? null, reference: manifest[2] ?? null };
  const blob = BLOB_ROUTE.exec(path);
  if (blob) return { req, res, url, kind: 'blob', repository: blob[1] ?? null, reference: blob[2] ?? null };
  return { req, res, url, kind: 'other', repository: null, reference: null };
}

/** Answers in the registry error format (docs/spec/api.md, "Errors"), as a real mirror would. */
export function sendRegistryError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}
