import { describe, expect, it } from 'vitest';
import { clampCount, curlCommand, exportPageQuery, needsProxy, parseExportQuery, shellQuote } from './export-query';

describe('parseExportQuery', () => {
  it.each([
    [{}, { format: 'daemon-json', count: 3, proxy: '', noProxy: '' }],
    [
      { format: 'k3s-registries-yaml', count: '5' },
      { format: 'k3s-registries-yaml', count: 5, proxy: '', noProxy: '' },
    ],
    [
      { format: 'nope', count: '0' },
      { format: 'daemon-json', count: 1, proxy: '', noProxy: '' },
    ],
    [
      { format: 'http-proxy-conf', count: '99', proxy: ' http://p:3128 ', noProxy: 'localhost' },
      { format: 'http-proxy-conf', count: 10, proxy: 'http://p:3128', noProxy: 'localhost' },
    ],
  ] as const)('%j', (query, expected) => {
    expect(parseExportQuery(query)).toEqual(expected);
  });
});

describe('clampCount', () => {
  it.each([
    ['', 3],
    ['abc', 3],
    ['2.7', 2],
    [-4, 1],
    [42, 10],
  ] as const)('%s -> %i', (input, expected) => {
    expect(clampCount(input)).toBe(expected);
  });
});

describe('curlCommand', () => {
  const origin = 'http://mw.lan:3000';
  it('downloads config formats', () => {
    expect(curlCommand(origin, { format: 'containerd-hosts-toml', count: 2, proxy: '', noProxy: '' })).toBe(
      "curl -fsSL 'http://mw.lan:3000/api/export/containerd-hosts-toml?count=2'",
    );
  });
  it('pipes the install script to a root shell', () => {
    expect(curlCommand(origin, { format: 'install-sh', count: 3, proxy: '', noProxy: '' })).toBe(
      "curl -fsSL 'http://mw.lan:3000/api/export/install-sh?count=3' | sudo bash",
    );
  });
  it('passes the proxy for http and https plus NO_PROXY to the drop-in, URL-encoded', () => {
    expect(curlCommand(origin, { format: 'http-proxy-conf', count: 3, proxy: 'http://p:3128', noProxy: 'localhost,.corp' })).toBe(
      "curl -fsSL 'http://mw.lan:3000/api/export/http-proxy-conf?httpProxy=http%3A%2F%2Fp%3A3128&httpsProxy=http%3A%2F%2Fp%3A3128&noProxy=localhost%2C.corp'",
    );
    expect(curlCommand(origin, { format: 'http-proxy-conf', count: 3, proxy: '', noProxy: '' })).toBe(
      "curl -fsSL 'http://mw.lan:3000/api/export/http-proxy-conf'",
    );
  });
  it('quotes single quotes for the shell', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });
});

describe('needsProxy', () => {
  it.each([
    ['http-proxy-conf', '', true],
    ['http-proxy-conf', 'http://p:3128', false],
    ['daemon-json', '', false],
  ] as const)('%s with proxy "%s": %s', (format, proxy, expected) => {
    expect(needsProxy({ format, count: 3, proxy, noProxy: '' })).toBe(expected);
  });
});

describe('exportPageQuery', () => {
  it('keeps the proxy only for the proxy drop-in', () => {
    expect(exportPageQuery({ format: 'daemon-json', count: 4, proxy: 'http://x', noProxy: 'y' })).toBe('?format=daemon-json&count=4');
    expect(exportPageQuery({ format: 'http-proxy-conf', count: 4, proxy: 'http://x', noProxy: 'y' })).toBe(
      '?format=http-proxy-conf&count=4&proxy=http%3A%2F%2Fx&noProxy=y',
    );
  });
});
