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
  const expectOk = (what: string, status: number): void => {
    if (status !== 200) throw new Error(`warming the pull-through cache of ${mirrorUrl}: ${what} answered HTTP ${status}`);
  };
  for (const image of images) {
    for (const reference of [image.tag, image.amd64Manifest]) {
      expectOk(`${image.repository}:${reference}`, (await fetchManifest(mirrorUrl, image.repository, reference)).status);
    }
    for (const blob of [image.config, image.layer]) {
      const response = await fetch(`${mirrorUrl}/v2/${image.repository}/blobs/${blob}`, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer(); // the mirror stores the blob as it streams it
      expectOk(blob, response.status);
    }
  }
}
