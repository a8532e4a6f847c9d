import type { BuiltImage, ContentBlob } from './image-builder.js';

/**
 * Pushes an image through the registry HTTP API (distribution
 * docs/spec/api.md, "Pushing An Image"): blobs by monolithic upload, child
 * manifests by digest, then the manifest list by tag. distribution refuses a
 * manifest whose blobs or children it does not have, hence the order.
 */
export async function pushImage(registryUrl: string, image: BuiltImage): Promise<void> {
  const name = image.repository;
  for (const platform of image.platforms) {
    await pushBlob(registryUrl, name, platform.layer);
    await pushBlob(registryUrl, name, platform.config);
    await putManifest(registryUrl, name, platform.manifest.digest, platform.manifest);
  }
  await putManifest(registryUrl, name, image.tag, image.index);
}

async function pushBlob(registryUrl: string, name: string, content: ContentBlob): Promise<void> {
  const existing = await fetch(`${registryUrl}/v2/${name}/blobs/${content.digest}`, { method: 'HEAD' });
  if (existing.ok) return;
  const started = await fetch(`${registryUrl}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(started, 202, `start upload to ${name}`);
  const location = started.headers.get('location');
  if (!location) throw new Error(`upload to ${name}: 202 without a Location header`);
  // Location may be absolute or relative, and already carries query state (_state).
  const uploadUrl = new URL(location, registryUrl);
  uploadUrl.searchParams.set('digest', content.digest);
  const finished = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(content.data),
  });
  await expectStatus(finished, 201, `finish upload of ${content.digest} to ${name}`);
}

async function putManifest(registryUrl: string, name: string, reference: string, manifest: ContentBlob): Promise<void> {
  const response = await fetch(`${registryUrl}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body: new Uint8Array(manifest.data),
  });
  await expectStatus(response, 201, `put manifest ${name}:${reference}`);
  const digest = response.headers.get('docker-content-digest');
  if (digest !== null && digest !== manifest.digest) {
    throw new Error(`put manifest ${name}:${reference}: registry computed ${digest}, expected ${manifest.digest}`);
  }
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status === status) {
    await response.body?.cancel();
    return;
  }
  const body = await response.text();
  throw new Error(`${what}: HTTP ${response.status} (expected ${status}): ${body.slice(0, 500)}`);
}
