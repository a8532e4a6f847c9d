import { startRegistry, type RegistryHandle } from '../registry/registry-process.js';
import { seedAlpine, seedProbeTarget, type SeededImage } from '../seed/seed-images.js';

export interface StaleMirrorHandle extends RegistryHandle {
  /** What it serves for library/alpine:latest: an older generation than the reference. */
  alpine: SeededImage;
}

/**
 * A mirror frozen on an older library/alpine:latest: a standalone registry
 * (no proxy, so it never re-resolves the tag upstream) seeded with the
 * generation before `referenceGeneration`, like a cache lagging Docker Hub.
 */
export async function startStaleMirror(referenceGeneration: number, name = 'stale'): Promise<StaleMirrorHandle> {
  const registry = await startRegistry({ name });
  try {
    const alpine = await seedAlpine(registry.url, referenceGeneration - 1);
    await seedProbeTarget(registry.url);
    return { ...registry, alpine };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}
