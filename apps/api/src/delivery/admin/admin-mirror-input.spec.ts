import { describe, expect, it } from 'vitest';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { parseMirrorCreation, parseMirrorPatch } from './admin-mirror-input.js';

function refusal(body: unknown): { field: string; message: string } {
  try {
    parseMirrorCreation(body);
  } catch (error) {
    if (error instanceof InvalidParameterException) return error.getResponse() as { field: string; message: string };
    throw error;
  }
  throw new Error('accepted');
}

describe('parseMirrorCreation: pathStyle', () => {
  const base = { url: 'https://m.example', upstream: 'ghcr.io', pathPrefix: 'ghcr.io', visibility: 'public' };

  it('defaults a prefixed mirror to repository-prefix and keeps registry-root when asked', () => {
    expect(parseMirrorCreation(base).definition).toMatchObject({
      id: 'm-example--ghcr-io',
      pathPrefix: 'ghcr.io',
      pathStyle: 'repository-prefix',
    });
    expect(parseMirrorCreation({ ...base, pathStyle: 'registry-root' }).definition.pathStyle).toBe('registry-root');
  });

  it('gives a mirror served at the root no path style', () => {
    expect(
      parseMirrorCreation({ url: 'https://ghcr.example', upstream: 'ghcr.io', visibility: 'public' }).definition.pathStyle,
    ).toBeUndefined();
  });

  it.each([
    ['an unknown style', { ...base, pathStyle: 'nexus' }, /repository-prefix or registry-root/],
    ['a style without a prefix', { url: 'https://m.example', pathStyle: 'registry-root' }, /needs a pathPrefix/],
  ])('refuses %s, naming pathStyle', (_label, body, message) => {
    const { field, message: text } = refusal(body);
    expect(field).toBe('pathStyle');
    expect(text).toMatch(message);
  });
});

describe('parseMirrorCreation: unknown keys', () => {
  it('names an empty key as "" (found by the REST fuzzer: the 400 named no field)', () => {
    const { field, message } = refusal({ url: 'https://m.example', '': { nested: true } });
    expect(field).toBe('""');
    expect(message).toMatch(/is not a mirror field/);
  });
});

describe('parseMirrorPatch', () => {
  it.each(['id', 'upstream', 'pathPrefix', 'pathStyle'])('names %s as fixed at creation, not as an unknown field', (key) => {
    try {
      parseMirrorPatch({ name: 'renamed', [key]: 'ghcr.io' });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidParameterException);
      const response = (error as InvalidParameterException).getResponse() as { field: string; message: string };
      expect(response.field).toBe(key);
      expect(response.message).toMatch(/cannot be changed after creation/);
      return;
    }
    throw new Error('accepted');
  });

  it('still names a truly unknown key as not a mirror field', () => {
    expect(() => parseMirrorPatch({ colour: 'red' })).toThrow(InvalidParameterException);
  });

  it('accepts a description change', () => {
    expect(parseMirrorPatch({ name: 'renamed', enabled: false })).toEqual({ name: 'renamed', enabled: false });
  });
});
