import { MANIFEST_ACCEPT } from '../registry/media-types.js';

/** GET a manifest the way dockerd asks for it (all four media types in Accept). */
export async function fetchManifest(
  baseUrl: string,
  repository: string,
  reference: string,
  { token, accept = MANIFEST_ACCEPT, timeoutMs = 5_000 }: { token?: string; accept?: string; timeoutMs?: number } = {},
): Promise<{ status: number; digest: string | null; contentType: string | null; body: Buffer }> {
  const response = await fetch(`${baseUrl}/v2/${repository}/manifests/${reference}`, {
    headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: response.status,
    digest: response.headers.get('docker-content-digest'),
    contentType: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** Follows a Bearer challenge the way clients do (the registry token flow of the distribution spec). */
export async function fetchPullToken(challenge: string, repository: string): Promise<string> {
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1];
  const service = /service="([^"]+)"/.exec(challenge)?.[1];
  if (!realm) throw new Error(`no realm in challenge ${challenge}`);
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', `repository:${repository}:pull`);
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error('token endpoint returned no token');
  return token;
}
