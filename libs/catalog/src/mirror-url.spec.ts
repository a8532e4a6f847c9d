import { describe, expect, it } from 'vitest';
import { mirrorIdFromUrl, normalizeMirrorUrl } from './mirror-url.js';

describe('normalizeMirrorUrl accepts what dockerd accepts, normalized', () => {
  it.each([
    ['https://docker.m.daocloud.io', 'https://docker.m.daocloud.io'],
    ['https://docker.m.daocloud.io/', 'https://docker.m.daocloud.io'],
    ['HTTPS://Docker.M.DaoCloud.IO/', 'https://docker.m.daocloud.io'],
    ['  https://docker.1ms.run  ', 'https://docker.1ms.run'],
    ['https://hub.rat.dev:443', 'https://hub.rat.dev'],
    ['http://hub.rat.dev:80/', 'http://hub.rat.dev'],
    ['http://hub.rat.dev:443', 'http://hub.rat.dev:443'],
    ['https://hub.rat.dev:80', 'https://hub.rat.dev:80'],
    ['http://127.0.0.1:5001', 'http://127.0.0.1:5001'],
    ['https://127.0.0.1:05001', 'https://127.0.0.1:5001'],
    ['https://[::1]:5000', 'https://[::1]:5000'],
    ['https://[FE80::1]', 'https://[fe80::1]'],
    ['https://abc123.mirror.aliyuncs.com', 'https://abc123.mirror.aliyuncs.com'],
    ['https://xn--fiqs8s.example', 'https://xn--fiqs8s.example'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeMirrorUrl(input)).toEqual({ ok: true, url: expected });
  });
});

describe('normalizeMirrorUrl rejects with a reason', () => {
  it.each([
    ['', /empty/],
    ['docker.m.daocloud.io', /no scheme .*write https:\/\/docker\.m\.daocloud\.io/],
    ['docker.m.daocloud.io:443', /no scheme/],
    ['ftp://mirror.example', /scheme "ftp" is not supported/],
    ['https://mirror.example/v2', /path "\/v2" is not allowed; dockerd accepts only scheme:\/\/host\[:port\]/],
    ['https://mirror.example//', /path "\/\/" is not allowed/],
    ['https://mirror.example/?x=1', /query "\?x=1" is not allowed/],
    ['https://mirror.example?x=1#y', /query "\?x=1" is not allowed/],
    ['https://mirror.example#top', /fragment "#top" is not allowed/],
    ['https://user:secret@mirror.example', /credentials/],
    ['https://', /no host/],
    ['https://:5000', /no host/],
    ['https://mirror.example:0', /out of range/],
    ['https://mirror.example:70000', /out of range/],
    ['https://mirror.example:http', /port "http" is not a number/],
    ['https://mirror..example', /empty label/],
    ['https://mirror.example.', /empty label/],
    ['https://-mirror.example', /not a valid DNS name/],
    ['https://mirror$(reboot).example', /not a valid DNS name/],
    ["https://mirror'.example", /not a valid DNS name/],
    ['https://mir ror.example', /not a valid DNS name/],
    ['https://镜像.example', /punycode/],
    ['https://[::1', /unterminated IPv6/],
    ['https://[not-ip]', /not a valid IPv6/],
    ['https://[::1]x', /unexpected "x"/],
  ])('%j', (input, reason) => {
    const result = normalizeMirrorUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('mirrorIdFromUrl', () => {
  it.each([
    ['https://docker.m.daocloud.io', 'docker-m-daocloud-io'],
    ['https://Docker.M.DaoCloud.io/', 'docker-m-daocloud-io'],
    ['https://127.0.0.1:5001', '127-0-0-1-5001'],
    ['http://127.0.0.1:5001', '127-0-0-1-5001-http'],
    ['http://hub.rat.dev:80', 'hub-rat-dev-http'],
    ['https://[::1]:5000', 'ipv6-1-5000'],
    ['https://docker-0.unsee.tech', 'docker-0-unsee-tech'],
  ])('%s -> %s', (url, id) => {
    expect(mirrorIdFromUrl(url)).toBe(id);
  });

  it('keeps http and https of one host apart', () => {
    expect(mirrorIdFromUrl('http://hub.rat.dev')).not.toBe(mirrorIdFromUrl('https://hub.rat.dev'));
  });

  it('throws on a URL dockerd would reject', () => {
    expect(() => mirrorIdFromUrl('hub.rat.dev')).toThrow(/no scheme/);
  });
});
