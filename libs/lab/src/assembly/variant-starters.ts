import type { FailureClass } from '@mirrorwatch/domain';
import { startBlobCdn } from '../faults/blob-cdn.js';
import { reserveDeadPort } from '../faults/dead-port.js';
import { startFaultProxy } from '../faults/fault-proxy.js';
import type { FaultRule } from '../faults/fault-rule.js';
import { startHangServer } from '../faults/hang-server.js';
import { addLatency } from '../faults/rules/latency.js';
import { allowOnlyLibrary } from '../faults/rules/allowlist.js';
import { corruptBlobs } from '../faults/rules/corrupt-blob.js';
import { failManifests } from '../faults/rules/manifest-status.js';
import { rateLimit } from '../faults/rules/rate-limit.js';
import { redirectBlobsTo } from '../faults/rules/redirect-blobs.js';
import { stallBlobs } from '../faults/rules/stall-blob.js';
import { startStaleMirror } from '../faults/stale-mirror.js';
import { startPartialMirror } from '../faults/partial-mirror.js';
import { startTlsMirror } from '../faults/tls-mirror.js';
import { startRegistry } from '../registry/registry-process.js';
import { startTokenMirror } from '../registry/token-mirror.js';
import type { LabVariant } from './lab-mirror.js';

export interface VariantContext {
  upstreamUrl: string;
  /** The healthy mirror, which fault proxies sit in front of (absent while it is itself starting). */
  healthyUrl: string | null;
  referenceGeneration: number;
  latencyMs: number;
  retryAfterSeconds: number;
}

export interface StartedVariant {
  url: string;
  host: string;
  caPath: string | null;
  /** Process ids of registries it runs, so tests can check none outlive stop(). */
  pids: number[];
  stop(): Promise<void>;
}

export interface VariantStarter {
  notes: string;
  expectedFailure: FailureClass | null;
  /** Needs the healthy mirror running first. */
  needsHealthy: boolean;
  start(context: VariantContext): Promise<StartedVariant>;
}

function server(
  handle: { url: string; host: string; stop(): Promise<void> },
  pids: number[] = [],
  caPath: string | null = null,
): StartedVariant {
  return { url: handle.url, host: handle.host, caPath, pids, stop: () => handle.stop() };
}

function proxyOverHealthy(name: string, rules: FaultRule[]) {
  return async (context: VariantContext): Promise<StartedVariant> => {
    if (!context.healthyUrl) throw new Error(`${name} needs the healthy mirror`);
    return server(await startFaultProxy({ name, target: context.healthyUrl, rules }));
  };
}

export const VARIANT_STARTERS: Record<LabVariant, VariantStarter> = {
  healthy: {
    notes: 'docker-registry 2.8 pull-through cache of the lab upstream',
    expectedFailure: null,
    needsHealthy: false,
    start: async ({ upstreamUrl }) => {
      const registry = await startRegistry({ name: 'healthy', proxyRemoteUrl: upstreamUrl });
      return server(registry, [registry.pid]);
    },
  },
  token: {
    notes: 'pull-through cache behind Bearer token auth (401 on /v2/, own realm)',
    expectedFailure: null,
    needsHealthy: false,
    start: async ({ upstreamUrl }) => {
      const registry = await startTokenMirror(upstreamUrl, 'token');
      return server(registry, [registry.pid]);
    },
  },
  dead: {
    notes: 'nothing listens on this port (connection refused)',
    expectedFailure: 'connect_refused',
    needsHealthy: false,
    start: async () => server(await reserveDeadPort('dead')),
  },
  hang: {
    notes: 'accepts TCP connections and never answers',
    expectedFailure: 'timeout',
    needsHealthy: false,
    start: async () => server(await startHangServer('hang')),
  },
  'manifest-503': {
    notes: '/v2/ works, every manifest request gets 503',
    expectedFailure: 'server_error',
    needsHealthy: true,
    start: proxyOverHealthy('manifest-503', [failManifests(503)]),
  },
  'rate-limited': {
    notes: 'manifests and blobs get 429 with Retry-After',
    expectedFailure: 'rate_limited',
    needsHealthy: true,
    start: (context) => proxyOverHealthy('rate-limited', [rateLimit(context.retryAfterSeconds)])(context),
  },
  slow: {
    notes: 'healthy but every request is delayed',
    expectedFailure: null,
    needsHealthy: true,
    start: (context) => proxyOverHealthy('slow', [addLatency(context.latencyMs)])(context),
  },
  stale: {
    notes: 'standalone registry frozen on an older library/alpine:latest',
    expectedFailure: 'stale',
    needsHealthy: false,
    start: async ({ referenceGeneration }) => {
      const registry = await startStaleMirror(referenceGeneration, 'stale');
      return server(registry, [registry.pid]);
    },
  },
  'corrupt-blob': {
    notes: 'blob bodies have flipped bytes (length kept)',
    expectedFailure: 'integrity',
    needsHealthy: true,
    start: proxyOverHealthy('corrupt-blob', [corruptBlobs()]),
  },
  'stalled-blob': {
    notes: 'blob downloads stop halfway without closing',
    expectedFailure: 'timeout',
    needsHealthy: true,
    start: proxyOverHealthy('stalled-blob', [stallBlobs()]),
  },
  'cdn-redirect': {
    notes: 'blob GETs are redirected (307) to a separate CDN server',
    expectedFailure: null,
    needsHealthy: true,
    start: async (context) => {
      if (!context.healthyUrl) throw new Error('cdn-redirect needs the healthy mirror');
      const cdn = await startBlobCdn(context.healthyUrl, 'cdn');
      try {
        const proxy = await startFaultProxy({ name: 'cdn-redirect', target: context.healthyUrl, rules: [redirectBlobsTo(cdn.url)] });
        return { url: proxy.url, host: proxy.host, caPath: null, pids: [], stop: () => proxy.stop().then(() => cdn.stop()) };
      } catch (error) {
        await cdn.stop();
        throw error;
      }
    },
  },
  allowlist: {
    notes: 'serves library/* only, 403 "not in whitelist" for other repositories',
    expectedFailure: 'allowlisted',
    needsHealthy: true,
    start: proxyOverHealthy('allowlist', [allowOnlyLibrary()]),
  },
  partial: {
    notes:
      'pull-through cache of an upstream that lacks mirrorwatch/second-target (404 MANIFEST_UNKNOWN for it); library/alpine is current',
    expectedFailure: null,
    needsHealthy: false,
    start: async ({ referenceGeneration }) => {
      const mirror = await startPartialMirror(referenceGeneration, 'partial');
      return server(mirror, [mirror.pid, mirror.upstream.pid]);
    },
  },
  tls: {
    notes: 'pull-through cache over https with a private CA (see ca)',
    expectedFailure: null,
    needsHealthy: false,
    start: async ({ upstreamUrl }) => {
      const registry = await startTlsMirror(upstreamUrl, 'tls');
      return server(registry, [registry.pid], registry.caPath);
    },
  },
};
