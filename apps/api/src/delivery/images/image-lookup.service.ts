import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ImageLookupDto, ImageLookupMirrorDto } from '@mirrorwatch/api-types';
import {
  DOCKER_HUB_REGISTRY,
  formatImageReference,
  mirroredRepository,
  parseImageReference,
  upstreamOf,
  type ImageReference,
  type MirrorDefinition,
} from '@mirrorwatch/domain';
import { probeMirror, resolveProbeOptions } from '@mirrorwatch/probe';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { MirrorTargets } from '#probing/targets/mirror-targets.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { runBounded } from '#probing/bounded-pool.js';
import { ProbeBudgetService } from '#probing/budget/probe-budget.service.js';
import { byCodeUnits } from '@mirrorwatch/domain';

/** Mirrors asked at once for one look-up. */
const CONCURRENCY = 6;
/** Each mirror's whole answer (connect, token, manifest): a look-up answers within seconds, a hanging mirror is reported as such. */
const PER_MIRROR_DEADLINE_MS = 5_000;
/** Distinct look-ups running at once: the endpoint is public, each one fans out to every mirror. */
const MAX_LOOKUPS_IN_FLIGHT = 4;
/** Distinct answers kept; the oldest goes first. */
const MAX_CACHED = 500;

interface Cached {
  expiresAt: number;
  answer: ImageLookupDto;
}

/**
 * "Which mirror has my image?": asks every enabled public mirror for the
 * manifest (the probe engine's light probe, no blobs), bounded in
 * concurrency and per-mirror time, each request taken from the mirror's
 * hourly budget. Answers are cached for IMAGE_LOOKUP_CACHE_SECONDS and
 * concurrent requests for the same image share one look-up.
 */
@Injectable()
export class ImageLookupService {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<ImageLookupDto>>();
  private readonly targets: MirrorTargets;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mirrors: MirrorRepository,
    private readonly budget: ProbeBudgetService,
  ) {
    this.targets = new MirrorTargets(config);
  }

  /** `text` is `repository[:tag]` as `docker pull` takes it; a bad one is a 400 naming `image`. */
  async lookup(text: string, now: number = Date.now()): Promise<ImageLookupDto> {
    const parsed = parseImageReference(text);
    if (!parsed.ok) throw new InvalidParameterException('image', parsed.reason);
    const key = formatImageReference(parsed.reference);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.answer;
    const running = this.inFlight.get(key);
    if (running) return running;
    if (this.inFlight.size >= MAX_LOOKUPS_IN_FLIGHT) {
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: 'other image look-ups are running; retry in a few seconds' },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const run = this.ask(parsed.reference)
      .then((answer) => {
        this.remember(key, answer);
        return answer;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  private async ask(reference: ImageReference): Promise<ImageLookupDto> {
    const checkedAt = new Date();
    // The look-up names Docker Hub images: only Docker Hub mirrors are asked (a path-prefix one under its prefix).
    const mirrors = (await this.mirrors.listEnabled()).filter(
      (mirror) => mirror.visibility === 'public' && upstreamOf(mirror) === DOCKER_HUB_REGISTRY,
    );
    const answers: ImageLookupMirrorDto[] = [];
    await runBounded(mirrors, {
      concurrency: CONCURRENCY,
      staggerMs: () => 0,
      work: async (mirror) => {
        answers.push(await this.askMirror(mirror, reference));
      },
      onError: (mirror, error) =>
        answers.push({
          ...identity(mirror),
          served: false,
          digest: null,
          failureClass: 'internal',
          detail: error instanceof Error ? error.message : String(error),
          manifestMs: null,
          skipped: null,
        }),
    });
    answers.sort((a, b) => Number(b.served) - Number(a.served) || byCodeUnits(a.name, b.name));
    return {
      image: formatImageReference(reference),
      repository: reference.repository,
      tag: reference.tag,
      checkedAt: checkedAt.toISOString(),
      mirrors: answers,
    };
  }

  private async askMirror(mirror: MirrorDefinition, reference: ImageReference): Promise<ImageLookupMirrorDto> {
    if (!this.budget.take(mirror.id, 'on_demand')) {
      return { ...identity(mirror), served: false, digest: null, failureClass: null, detail: null, manifestMs: null, skipped: 'budget' };
    }
    const base = resolveProbeOptions({
      kind: 'light',
      repository: mirroredRepository(reference.repository, mirror.pathPrefix, mirror.pathStyle),
      reference: reference.tag,
    });
    const result = await probeMirror(await this.targets.of(mirror), {
      ...base,
      timeouts: { ...base.timeouts, totalMs: PER_MIRROR_DEADLINE_MS },
    });
    return {
      ...identity(mirror),
      served: result.ok,
      digest: result.manifest?.digest ?? null,
      failureClass: result.failureClass,
      detail: result.detail,
      manifestMs: result.timings.manifestMs === null ? null : Math.round(result.timings.manifestMs),
      skipped: null,
    };
  }

  private remember(key: string, answer: ImageLookupDto): void {
    if (this.config.imageLookupCacheSeconds === 0) return;
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { expiresAt: Date.parse(answer.checkedAt) + this.config.imageLookupCacheSeconds * 1000, answer });
  }
}

function identity(mirror: MirrorDefinition): Pick<ImageLookupMirrorDto, 'id' | 'name' | 'url'> {
  return { id: mirror.id, name: mirror.name, url: mirror.url };
}
