import { startRegistry, type RegistryHandle } from '../registry/registry-process.js';
import { seedAlpine, seedProbeTarget } from '../seed/seed-images.js';

export interface PartialMirrorHandle extends RegistryHandle {
  /** The registry the mirror pulls through: holds alpine and the probe target, not the second target. */
  upstream: RegistryHandle;
}

/**
 * A real pull-through mirror (docker-registry in proxy mode) whose upstream
 * lacks one image the lab's Docker Hub holds (`mirrorwatch/second-target`):
 * it answers 404 MANIFEST_UNKNOWN for it, as a mirror of a trimmed or
 * out-of-date upstream does, while serving the current library/alpine.
 */
export async function startPartialMirror(referenceGeneration: number, name = 'partial'): Promise<PartialMirrorHandle> {
  const upstream = await startRegistry({ name: `${name}-upstream` });
  try {
    await seedAlpine(upstream.url, referenceGeneration);
    await seedProbeTarget(upstream.url);
    const mirror = await startRegistry({ name, proxyRemoteUrl: upstream.url });
    return {
      ...mirror,
      upstream,
      stop: async () => {
        await mirror.stop();
        await upstream.stop();
      },
    };
  } catch (error) {
    await upstream.stop();
    throw error;
  }
}
