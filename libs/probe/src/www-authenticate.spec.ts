import { describe, expect, it } from 'vitest';
import { findBearerChallenge, parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    {
      header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"',
      expected: [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' } }],
    },
    {
      header: 'bearer realm=https://auth.example/token, service=mirror',
      expected: [{ scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'mirror' } }],
    },
    {
      header: 'BEARER  Realm="https://a/t" , Service="a, b",scope="repository:x:pull,push"',
      expected: [{ scheme: 'bearer', params: { realm: 'https://a/t', service: 'a, b', scope: 'repository:x:pull,push' } }],
    },
    {
      header: 'Basic realm="Registry Realm", Bearer realm="https://a/t",service="s"',
      expected: [
        { scheme: 'basic', params: { realm: 'Registry Realm' } },
        { scheme: 'bearer', params: { realm: 'https://a/t', service: 's' } },
      ],
    },
    { header: 'Bearer realm="with \\"escaped\\" quote"', expected: [{ scheme: 'bearer', params: { realm: 'with "escaped" quote' } }] },
    { header: 'Bearer realm="unterminated', expected: [{ scheme: 'bearer', params: { realm: 'unterminated' } }] },
    { header: 'Bearer', expected: [{ scheme: 'bearer', params: {} }] },
    { header: '', expected: [] },
    { header: '=== ,,', expected: [] },
  ])('$header', ({ header, expected }) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('reads several header lines', () => {
    const challenges = parseWwwAuthenticate(['Basic realm="x"', 'Bearer realm="https://a/t"']);
    expect(findBearerChallenge(challenges)?.params['realm']).toBe('https://a/t');
  });

  it('finds no Bearer challenge in a Basic-only header', () => {
    expect(findBearerChallenge(parseWwwAuthenticate('Basic realm="x"'))).toBeNull();
  });
});
