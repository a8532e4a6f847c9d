import { HttpException } from '@nestjs/common';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import type { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeBudgetService } from '#probing/budget/probe-budget.service.js';
import { ImageLookupService } from './image-lookup.service.js';

/**
 * Edge cases of the public look-up's bounds, with the probe engine replaced
 * (the real engine against real registries: apps/api/test/trust.int-spec.ts).
 */
const { gates, probeMirror } = vi.hoisted(() => {
  const gates: (() => void)[] = [];
  const probeMirror = vi.fn(async (): Promise<ProbeResult> => {
    await new Promise<void>((resolve) => gates.push(resolve));
    return {
      kind: 'light',
      startedAt: new Date(),
      durationMs: 5,
      ok: true,
      failureClass: null,
      failedPhase: null,
      detail: null,
      httpStatus: 200,
      timings: {
        dnsMs: null,
        connectMs: null,
        tlsMs: null,
        pingTtfbMs: null,
        tokenMs: null,
        manifestMs: 4.6,
        blobTtfbMs: null,
        blobTransferMs: null,
      },
      retryAfterSeconds: null,
      blob: null,
      manifest: {
        repository: 'library/alpine',
        reference: 'latest',
        digest: `sha256:${'c'.repeat(64)}`,
        mediaType: 'x',
        platformDigest: null,
      },
    };
  });
  return { gates, probeMirror };
});
vi.mock('@mirrorwatch/probe', async (original) => ({ ...(await original<typeof import('@mirrorwatch/probe')>()), probeMirror }));

const mirror = (id: string, visibility: MirrorDefinition['visibility'] = 'public'): MirrorDefinition => ({
  id,
  name: id,
  url: `https://${id}.example`,
  provider: null,
  notes: null,
  visibility,
  caPath: null,
});

function service(budgetPerHour = 100) {
  const mirrors = { listEnabled: async () => [mirror('a'), mirror('b'), mirror('mine', 'private')] } as unknown as MirrorRepository;
  const config = { imageLookupCacheSeconds: 300 } as AppConfig;
  return new ImageLookupService(config, mirrors, new ProbeBudgetService({ probeBudgetPerHour: budgetPerHour }));
}
const releaseAll = async () => {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    gates.splice(0).forEach((open) => open());
  }
};

describe('ImageLookupService', () => {
  beforeEach(() => {
    probeMirror.mockClear();
    gates.length = 0;
  });

  it('asks public mirrors only, once for concurrent requests of one image, then answers from the cache', async () => {
    const lookups = service();
    const both = Promise.all([lookups.lookup('alpine'), lookups.lookup('library/alpine:latest')]);
    await releaseAll();
    const [first, second] = await both;
    expect(second).toBe(first);
    expect(first.mirrors.map((m) => m.id)).toEqual(['a', 'b']);
    expect(probeMirror).toHaveBeenCalledTimes(2);
    expect(await lookups.lookup('alpine:latest')).toBe(first);
    expect(probeMirror).toHaveBeenCalledTimes(2);
  });

  it('refuses a fifth distinct look-up while four run (429), and a bad reference with a 400 naming image', async () => {
    const lookups = service();
    const running = ['a:1', 'b:1', 'c:1', 'd:1'].map((image) => lookups.lookup(image));
    await expect(lookups.lookup('e:1')).rejects.toThrow(HttpException);
    await expect(lookups.lookup('E:1')).rejects.toMatchObject({ response: { statusCode: 400, field: 'image' } });
    await releaseAll();
    await Promise.all(running);
  });

  it('reports a mirror whose on-demand budget is spent as skipped instead of asking it', async () => {
    const lookups = service(4);
    const first = lookups.lookup('x:1');
    await releaseAll();
    await first;
    const second = await lookups.lookup('y:1');
    expect(second.mirrors.map((m) => m.skipped)).toEqual(['budget', 'budget']);
    expect(probeMirror).toHaveBeenCalledTimes(2);
  });
});
