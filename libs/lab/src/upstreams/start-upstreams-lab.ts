import type { PathStyle } from '@mirrorwatch/domain';
import { reserveDeadPort } from '../faults/dead-port.js';
import { startFaultProxy } from '../faults/fault-proxy.js';
import type { FaultServerHandle } from '../faults/fault-server.js';
import { startRegistry, type RegistryHandle } from '../registry/registry-process.js';
import { buildImage } from '../seed/image-builder.js';
import { pushImage } from '../seed/registry-push.js';
import { describeSeededImage, seedAlpine, type SeededImage } from '../seed/seed-images.js';
import { ghcrTokenAuth, type GhcrTokenAuth } from './ghcr-token-auth.js';
import { startPathPrefixProxy } from './path-prefix-proxy.js';
import { startRegistryRootProxy } from './registry-root-proxy.js';

/** The image the lab's ghcr.io serves: the probe image mirrorwatch asks ghcr.io mirrors for. */
export const GHCR_PROBE_REPOSITORY = 'containerd/busybox';
export const GHCR_PROBE_TAG = '1.36';

/** One mirror of one upstream, in the catalog's terms. */
export interface UpstreamLabMirror {
  name: string;
  upstream: 'docker.io' | 'ghcr.io';
  url: string;
  pathPrefix: string | null;
  /** Where the prefix goes; null for a host-style mirror. */
  pathStyle: PathStyle | null;
  /** What a probe and a client should live through. */
  works: boolean;
}

export interface UpstreamsLab {
  /** The registry playing Docker Hub (no auth), seeded with library/alpine. */
  dockerHub: RegistryHandle;
  /** The registry playing ghcr.io: a plain registry behind ghcr-flavoured token auth. */
  ghcr: FaultServerHandle & { auth: GhcrTokenAuth };
  alpine: SeededImage;
  busybox: SeededImage;
  mirrors: readonly UpstreamLabMirror[];
  mirror(name: string): UpstreamLabMirror;
  stop(): Promise<void>;
}

/**
 * A second upstream beside Docker Hub, and mirrors of both in the two styles
 * clients know: host style (a docker-registry pull-through cache per
 * upstream, the ghcr.io one doing ghcr's token dance against its upstream)
 * and path-prefix style (one host serving `/v2/<registry>/...` for both
 * upstreams, as m.daocloud.io does), registry-root style (one host serving
 * `/<registry>/v2/...` for both, a reverse proxy in front of the caches),
 * plus a dead host-style ghcr.io mirror and, in both prefix styles, a route
 * for an upstream the host does not mirror.
 */
export async function startUpstreamsLab(): Promise<UpstreamsLab> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dockerHub = await startRegistry({ name: 'upstream-docker-hub' });
    stops.push(() => dockerHub.stop());
    const ghcrBacking = await startRegistry({ name: 'upstream-ghcr-storage' });
    stops.push(() => ghcrBacking.stop());
    const alpine = await seedAlpine(dockerHub.url);
    const busyboxImage = buildImage({
      repository: GHCR_PROBE_REPOSITORY,
      tag: GHCR_PROBE_TAG,
      generation: 1,
      platforms: [{ os: 'linux', architecture: 'amd64', payloadBytes: 8 * 1024 }],
    });
    await pushImage(ghcrBacking.url, busyboxImage);
    const auth = ghcrTokenAuth();
    const ghcrProxy = await startFaultProxy({ name: 'upstream-ghcr', target: ghcrBacking.url, rules: [auth] });
    stops.push(() => ghcrProxy.stop());

    // distribution's proxy mode pings its remote at start: the upstreams are up by now.
    const [hubCache, ghcrCache, deadGhcr] = await Promise.all([
      startRegistry({ name: 'mirror-hub-cache', proxyRemoteUrl: dockerHub.url }),
      startRegistry({ name: 'mirror-ghcr-cache', proxyRemoteUrl: ghcrProxy.url }),
      reserveDeadPort('mirror-ghcr-dead'),
    ]);
    stops.push(
      () => hubCache.stop(),
      () => ghcrCache.stop(),
      () => deadGhcr.stop(),
    );
    const prefix = await startPathPrefixProxy({
      name: 'mirror-path-prefix',
      routes: { 'docker.io': hubCache.url, 'ghcr.io': ghcrCache.url },
    });
    const root = await startRegistryRootProxy({
      name: 'mirror-registry-root',
      routes: { 'docker.io': hubCache.url, 'ghcr.io': ghcrCache.url },
    });
    stops.push(
      () => prefix.stop(),
      () => root.stop(),
    );

    const mirrors: UpstreamLabMirror[] = [
      { name: 'hub host', upstream: 'docker.io', url: hubCache.url, pathPrefix: null, pathStyle: null, works: true },
      { name: 'hub prefix', upstream: 'docker.io', url: prefix.url, pathPrefix: 'docker.io', pathStyle: 'repository-prefix', works: true },
      { name: 'hub root', upstream: 'docker.io', url: root.url, pathPrefix: 'docker.io', pathStyle: 'registry-root', works: true },
      { name: 'ghcr host', upstream: 'ghcr.io', url: ghcrCache.url, pathPrefix: null, pathStyle: null, works: true },
      { name: 'ghcr prefix', upstream: 'ghcr.io', url: prefix.url, pathPrefix: 'ghcr.io', pathStyle: 'repository-prefix', works: true },
      { name: 'ghcr root', upstream: 'ghcr.io', url: root.url, pathPrefix: 'ghcr.io', pathStyle: 'registry-root', works: true },
      { name: 'ghcr dead', upstream: 'ghcr.io', url: deadGhcr.url, pathPrefix: null, pathStyle: null, works: false },
      // Neither prefix host mirrors quay.io: a path-prefix mirror of an upstream it does not serve (404).
      {
        name: 'ghcr wrong prefix',
        upstream: 'ghcr.io',
        url: prefix.url,
        pathPrefix: 'quay.io',
        pathStyle: 'repository-prefix',
        works: false,
      },
      { name: 'ghcr wrong root', upstream: 'ghcr.io', url: root.url, pathPrefix: 'quay.io', pathStyle: 'registry-root', works: false },
    ];
    let stopped: Promise<void> | null = null;
    return {
      dockerHub,
      ghcr: { ...ghcrProxy, auth },
      alpine,
      busybox: describeSeededImage(busyboxImage),
      mirrors,
      mirror(name) {
        const found = mirrors.find((mirror) => mirror.name === name);
        if (!found) throw new Error(`no upstreams-lab mirror named ${name}`);
        return found;
      },
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
