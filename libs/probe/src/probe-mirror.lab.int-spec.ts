import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRegistryBinary, startLab, type Lab } from '@mirrorwatch/lab';
import { probeMirror } from './probe-mirror.js';

/**
 * The engine against real Debian docker-registry processes (libs/lab): each lab
 * mirror declares what a correct probe concludes, and a deep probe must agree.
 * `stale` and `allowlisted` need scoring or a second repository, so they are
 * checked for what a single probe can say.
 */
describe('probe engine against the lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    requireRegistryBinary();
    lab = await startLab({ extras: 'all', latencyMs: 300 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('classifies every lab mirror as the lab expects', async () => {
    const outcomes = await Promise.all(
      lab.mirrors.map(async (mirror) => {
        const caPem = mirror.caPath ? await readFile(mirror.caPath, 'utf8') : null;
        const result = await probeMirror(
          { url: mirror.url, caPem },
          { kind: 'deep', timeouts: { connectMs: 2_000, headersMs: 3_000, bodyMs: 4_000, tokenMs: 5_000, totalMs: 20_000 } },
        );
        return { mirror, result };
      }),
    );
    const seen = outcomes.map(({ mirror, result }) => ({
      variant: mirror.variant,
      failureClass: result.failureClass,
      detail: result.detail,
    }));
    const expected = outcomes.map(({ mirror }) => ({
      variant: mirror.variant,
      failureClass: mirror.expectedFailure === 'stale' || mirror.expectedFailure === 'allowlisted' ? null : mirror.expectedFailure,
    }));
    // The message carries each probe's detail, so a failure says which phase went wrong.
    expect(
      seen.map(({ variant, failureClass }) => ({ variant, failureClass })),
      JSON.stringify(seen.filter(({ failureClass }) => failureClass !== null)),
    ).toEqual(expected);
    const healthy = outcomes.find(({ mirror }) => mirror.variant === 'healthy')?.result;
    expect(healthy?.manifest?.digest).toBe(lab.alpine.index);
    expect(healthy?.blob?.verified).toBe(true);
  }, 120_000);

  it('reports the stale mirror serving another digest than the upstream', async () => {
    const stale = lab.mirrors.find((mirror) => mirror.expectedFailure === 'stale');
    expect(stale).toBeDefined();
    const result = await probeMirror({ url: stale!.url }, { expectedDigest: lab.alpine.index });
    expect(result.ok).toBe(true);
    expect(result.manifest?.digest).not.toBe(lab.alpine.index);
    expect(result.detail).toMatch(/expected/);
  });
});
