import { readFile } from 'node:fs/promises';
import { mirrorApiBase, type MirrorDefinition } from '@mirrorwatch/domain';
import type { ProbeTarget } from '@mirrorwatch/probe';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import { outboundPolicyFor } from './outbound-policy-for.js';

/**
 * How to reach a mirror, for scheduled probes and on-demand image lookups
 * alike: its URL, its private CA bundle (read once per file, not per probe)
 * and the outbound address policy.
 */
export class MirrorTargets {
  private readonly caBundles = new Map<string, string>();

  constructor(private readonly config: Pick<AppConfig, 'privateNetworkHosts'>) {}

  async of(mirror: MirrorDefinition): Promise<ProbeTarget> {
    // A registry-root mirror answers its registry API under the prefix (`/ghcr.io/v2/`): the probe's base URL carries it.
    const url = mirrorApiBase(mirror.url, mirror.pathPrefix, mirror.pathStyle);
    return { url, caPem: await this.caPem(mirror), policy: outboundPolicyFor(mirror.url, this.config) };
  }

  private async caPem(mirror: MirrorDefinition): Promise<string | null> {
    if (!mirror.caPath) return null;
    const cached = this.caBundles.get(mirror.caPath);
    if (cached !== undefined) return cached;
    const pem = await readFile(mirror.caPath, 'utf8');
    this.caBundles.set(mirror.caPath, pem);
    return pem;
  }
}
