import { describe, expect, it } from 'vitest';
import { safeLocalPath } from './safe-local-path';

/** How a browser resolves the Location we send: the page it lands on must be on our origin. */
function landsOn(location: string): string {
  return new URL(location, 'https://mirrorwatch.example/lang').origin;
}

describe('safeLocalPath', () => {
  it.each([
    ['/', '/'],
    ['/status', '/status'],
    ['/mirrors/docker-1ms-run?window=24h#chart', '/mirrors/docker-1ms-run?window=24h#chart'],
    ['/export?format=containerd-hosts-toml&count=3', '/export?format=containerd-hosts-toml&count=3'],
    ['/a/../status', '/status'],
    ['/%E7%8A%B6%E6%80%81', '/%E7%8A%B6%E6%80%81'],
    ['/状态', '/%E7%8A%B6%E6%80%81'],
  ])('keeps the local path %j as %j', (next, expected) => {
    expect(safeLocalPath(next)).toBe(expected);
    expect(landsOn(safeLocalPath(next))).toBe('https://mirrorwatch.example');
  });

  it.each([
    null,
    '',
    'status',
    'https://evil.example/',
    'http:evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/%09/evil.example'.replace('%09', '\t'),
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\u0000/evil.example',
    '/\u007f/evil.example',
    '/./evil.example/..//evil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    '/%2E/%2Fevil.example',
    '/ /evil.example',
    '/\\/evil.example',
    'javascript:alert(1)',
    '/\u3000/evil.example',
  ])('never leaves the site for %j', (next) => {
    const safe = safeLocalPath(next);
    expect(safe.startsWith('/')).toBe(true);
    expect(safe.startsWith('//')).toBe(false);
    expect(landsOn(safe)).toBe('https://mirrorwatch.example');
  });

  it.each([
    ['/%09/evil.example', '/%09/evil.example'],
    ['/%5Cevil.example', '/%5Cevil.example'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('percent-encoded separators stay encoded (%j), so they stay one path segment', (next, expected) => {
    expect(safeLocalPath(next)).toBe(expected);
    expect(landsOn(expected)).toBe('https://mirrorwatch.example');
  });
});
