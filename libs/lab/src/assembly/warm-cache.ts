import { fetchManifest } from '../test-support/registry-fetch.js';
import type { SeededImage } from '../seed/seed-images.js';

/**
 * Pulls each image once, one request at a time, through a pull-through mirror
 * so its cache holds them before anything else asks.
 *
 * Why: the fault proxies all sit in front of the one healthy mirror, so a lab
 * test sends it several concurrent first requests for the same blob.
 * docker-registry 2.8 then races with itself: one request writes the blob's
 * link file while another reads it half-written and answers 500 "invalid
 * checksum digest format" (seen 1 run in 10). A public mirror serving
 * library/alpine has it cached anyway; a cold cache is a lab artefact.
 */
export async function warmPullThroughCache(mirrorUrl: string, images: readonly SeededImage[]): Promise<void> {
  for (const image of images) {
    await expectOk(`${image.repository}:${image.tag}`, fetchManifest(mirrorUrl, image.repository, image.tag));
    await expectOk(image.amd64Manifest, fetchManifest(mirrorUrl, image.repository, image.amd64Manifest));
    for (const blob of [image.config, image.layer]) {
      const response = await fetch(`${mirrorUrl}/v2/${image.repository}/blobs/${blob}`, { signal: AbortSignal.timeout(10_000) });
      await expectOk(
        blob,
        response.arrayBuffer().then(() => response),
      );
    }
  }
}

async function expectOk(what: string, pending: Promise<{ status: number }>): Promise<void> {
  const { status } = await pending;
  if (status !== 200) throw new Error(`warming the lab's healthy mirror: ${what} answered HTTP ${status}`);
}
