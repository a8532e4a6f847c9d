import { describe, expect, it } from 'vitest';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import { parseCoverageImages } from '#infrastructure/configuration/coverage-images.js';
import type { CoverageRecord, CoverageRepository } from '#infrastructure/persistence/coverage.repository.js';
import type { MirrorStateRecord, MirrorStateRepository } from '#infrastructure/persistence/mirror-state.repository.js';
import type { CoverageProberService } from './coverage-prober.service.js';
import { CoverageService } from './coverage.service.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const record = (mirrorId: string | null, image: string, ok: boolean, failureClass: CoverageRecord['failureClass'] = null): CoverageRecord =>
  ({ mirrorId, image, checkedAt: T0, ok, failureClass, httpStatus: null, detail: null, digest: null, manifestMs: null });

/** Stored evidence in memory; the prober only records which images it was asked to check upstream. */
function setup(answers: CoverageRecord[], upstream: Record<string, boolean>) {
  const reference = new Map<string, CoverageRecord>();
  const asked: string[] = [];
  const repository = {
    mirrorAnswers: async () => {
      const byMirror = new Map<string, CoverageRecord[]>();
      for (const a of answers) byMirror.set(a.mirrorId ?? '', [...(byMirror.get(a.mirrorId ?? '') ?? []), a]);
      return byMirror;
    },
    referenceAnswers: async () => reference,
  } as unknown as CoverageRepository;
  const states = {
    getAll: async () => new Map([['a', { mirrorId: 'a', status: 'up' } as MirrorStateRecord], ['b', { mirrorId: 'b', status: 'up' } as MirrorStateRecord]]),
  } as unknown as MirrorStateRepository;
  const prober = {
    probeReference: async (images: { key: string }[]) => {
      for (const { key } of images) {
        asked.push(key);
        reference.set(key, record(null, key, upstream[key] ?? false, upstream[key] ? null : 'not_found'));
      }
    },
  } as unknown as CoverageProberService;
  const config = { coverageImages: parseCoverageImages('library/nginx:stable,x/served:1,x/only-upstream:1,x/nowhere:1') } as AppConfig;
  return { service: new CoverageService(config, repository, states, prober), asked };
}

describe('CoverageService.afterDeepCycle', () => {
  it('asks the reference registry only about images no working mirror serves, then judges with its answers', async () => {
    const { service, asked } = setup(
      [
        record('a', 'library/nginx:stable', true), record('a', 'x/served:1', true), record('a', 'x/only-upstream:1', false, 'not_found'), record('a', 'x/nowhere:1', false, 'not_found'),
        record('b', 'library/nginx:stable', true), record('b', 'x/served:1', false, 'not_found'), record('b', 'x/only-upstream:1', false, 'not_found'), record('b', 'x/nowhere:1', false, 'not_found'),
      ],
      { 'x/only-upstream:1': true },
    );
    const view = await service.afterDeepCycle(new AbortController().signal);
    expect(asked).toEqual(['x/only-upstream:1', 'x/nowhere:1']);
    expect(view.brokenImages).toEqual(['x/nowhere:1']);
    expect(service.of('a')?.failing.map((f) => f.image)).toEqual(['x/only-upstream:1']);
    expect(service.of('b')?.failing.map((f) => f.image)).toEqual(['x/served:1', 'x/only-upstream:1']);
  });
});
