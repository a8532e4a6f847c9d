import { startRegistry, type RegistryHandle } from '../registry/registry-process.js';
import { pushNewAlpine, seedAlpine, seedProbeTarget, seedSecondTarget, type SeededImage } from '../seed/seed-images.js';
import { renderCatalogYaml, writeCatalogFile } from './catalog.js';
import { EXTRA_VARIANTS, STANDARD_VARIANTS, type ExtraVariant, type LabMirror, type LabVariant } from './lab-mirror.js';
import { VARIANT_STARTERS, type StartedVariant, type VariantContext } from './variant-starters.js';
import { warmPullThroughCache } from './warm-cache.js';

export interface LabOptions {
  /** Extra misbehaving mirrors to start besides the standard set; 'all' for every one. */
  extras?: readonly ExtraVariant[] | 'all';
  /** Delay added by the `slow` mirror. */
  latencyMs?: number;
  /** Retry-After of the `rate-limited` mirror; small, because skopeo waits for it. */
  retryAfterSeconds?: number;
}

export interface Lab {
  /** The registry playing Docker Hub. Not in the catalog: it is the reference, not a mirror. */
  upstream: RegistryHandle;
  /** The current library/alpine:latest of the upstream (changes after pushNewAlpine). */
  readonly alpine: SeededImage;
  probeTarget: SeededImage;
  /** A second non-library image; the `partial` mirror's upstream lacks it. */
  secondTarget: SeededImage;
  mirrors: readonly LabMirror[];
  /** The mirror of a variant; throws when that variant was not started. */
  mirror(variant: LabVariant): LabMirror;
  /** Publishes a new library/alpine:latest upstream (stale-mirror scenarios). */
  pushNewAlpine(): Promise<SeededImage>;
  catalogYaml(): string;
  writeCatalog(path: string): Promise<void>;
  /** Process ids of every docker-registry the lab runs. */
  pids(): number[];
  /** Milliseconds startLab took. */
  startupMs: number;
  stop(): Promise<void>;
}

const PROVIDER = 'mirrorwatch lab';

/**
 * Starts the upstream (seeded first: distribution's proxy mode checks its
 * remote at start), then the healthy mirror (its cache warmed with the seeded
 * images), then everything else in parallel. If anything fails to start,
 * what did start is stopped again.
 */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const startedAt = Date.now();
  const extras = options.extras === 'all' ? [...EXTRA_VARIANTS] : [...(options.extras ?? [])];
  const variants: LabVariant[] = [...STANDARD_VARIANTS, ...extras.filter((v) => !(STANDARD_VARIANTS as readonly string[]).includes(v))];
  const upstream = await startRegistry({ name: 'upstream' });
  const started = new Map<LabVariant, StartedVariant>();
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([...started.values()].map((variant) => variant.stop()));
    await upstream.stop();
  };
  try {
    let alpine = await seedAlpine(upstream.url);
    const probeTarget = await seedProbeTarget(upstream.url);
    const secondTarget = await seedSecondTarget(upstream.url);
    const context: VariantContext = {
      upstreamUrl: upstream.url,
      healthyUrl: null,
      referenceGeneration: alpine.generation,
      latencyMs: options.latencyMs ?? 300,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    };
    const healthy = await VARIANT_STARTERS.healthy.start(context);
    started.set('healthy', healthy);
    await warmPullThroughCache(healthy.url, [alpine, probeTarget, secondTarget]);
    context.healthyUrl = healthy.url;
    const rest = variants.filter((v) => v !== 'healthy');
    const results = await Promise.allSettled(
      rest.map(async (variant) => {
        const handle = await VARIANT_STARTERS[variant].start(context);
        started.set(variant, handle);
      }),
    );
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;

    const mirrors: LabMirror[] = variants.map((variant) => {
      const handle = started.get(variant);
      if (!handle) throw new Error(`lab variant ${variant} did not start`);
      const starter = VARIANT_STARTERS[variant];
      return {
        variant,
        name: `lab ${variant}`,
        url: handle.url,
        host: handle.host,
        provider: PROVIDER,
        notes: starter.notes,
        visibility: 'public',
        caPath: handle.caPath,
        expectedFailure: starter.expectedFailure,
      };
    });
    let stopped: Promise<void> | null = null;
    return {
      upstream,
      get alpine() {
        return alpine;
      },
      probeTarget,
      secondTarget,
      mirrors,
      mirror(variant) {
        const found = mirrors.find((mirror) => mirror.variant === variant);
        if (!found) throw new Error(`lab variant ${variant} was not started (pass it in options.extras)`);
        return found;
      },
      async pushNewAlpine() {
        alpine = await pushNewAlpine(upstream.url, alpine);
        await warmPullThroughCache(healthy.url, [alpine]);
        return alpine;
      },
      catalogYaml: () => renderCatalogYaml(mirrors),
      writeCatalog: (path) => writeCatalogFile(path, mirrors),
      pids: () => [upstream.pid, ...[...started.values()].flatMap((variant) => variant.pids)],
      startupMs: Date.now() - startedAt,
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
