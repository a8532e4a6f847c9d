import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogError } from './catalog-error.js';
import { loadCatalogFile } from './load-catalog-file.js';
import { parseCatalog } from './parse-catalog.js';

const SOURCE = 'config/mirrors.yaml';

describe('parseCatalog: valid catalogs', () => {
  it('reads a list with defaults filled in', () => {
    const mirrors = parseCatalog(
      [
        '- name: DaoCloud',
        '  url: https://Docker.M.DaoCloud.io/',
        '  provider: DaoCloud',
        '  notes: allowlist of images',
        '- name: Local',
        '  url: http://127.0.0.1:5001',
        '  visibility: private',
        '  ca: certs/local.pem',
        '  provider:',
      ].join('\n'),
      '/etc/mirrorwatch/mirrors.yaml',
    );
    expect(mirrors).toEqual([
      {
        id: 'docker-m-daocloud-io',
        name: 'DaoCloud',
        url: 'https://docker.m.daocloud.io',
        provider: 'DaoCloud',
        notes: 'allowlist of images',
        visibility: 'public',
        caPath: null,
        upstream: 'docker.io',
        pathPrefix: null,
      },
      {
        id: '127-0-0-1-5001-http',
        name: 'Local',
        url: 'http://127.0.0.1:5001',
        provider: null,
        notes: null,
        visibility: 'private',
        caPath: '/etc/mirrorwatch/certs/local.pem',
        upstream: 'docker.io',
        pathPrefix: null,
      },
    ]);
  });

  it.each([
    ['top-level mirrors: object', 'mirrors:\n  - name: A\n    url: https://a.example\n', 1],
    ['empty list', '[]\n', 0],
    ['empty mirrors:', 'mirrors:\n', 0],
    ['flow style', '[{name: A, url: "https://a.example"}, {name: B, url: "http://a.example"}]', 2],
  ])('%s', (_label, text, count) => {
    expect(parseCatalog(text, SOURCE)).toHaveLength(count);
  });

  it('keeps an absolute ca path and resolves a relative one against the catalog file', () => {
    const [abs, rel] = parseCatalog(
      '- {name: A, url: "https://a.example", ca: /pki/a.pem}\n- {name: B, url: "https://b.example", ca: ../b.pem}\n',
      'config/mirrors.yaml',
    );
    expect(abs?.caPath).toBe('/pki/a.pem');
    expect(rel?.caPath).toBe(resolve('b.pem'));
  });
});

describe('parseCatalog: errors name the file, the entry and the field', () => {
  const ok = (n: number) => `- name: m${n}\n  url: https://m${n}.example\n`;
  it.each([
    [
      'a URL with a path',
      ok(1) + ok(2) + '- name: foo\n  url: https://foo.example/v2\n',
      'config/mirrors.yaml: entry 3 ("foo"): url: path "/v2" is not allowed; dockerd accepts only scheme://host[:port]',
    ],
    ['a URL without scheme', '- name: foo\n  url: foo.example\n', 'config/mirrors.yaml: entry 1 ("foo"): url: no scheme'],
    ['a missing name', '- url: https://foo.example\n', 'config/mirrors.yaml: entry 1: name: is required'],
    ['an empty name', '- name: "  "\n  url: https://foo.example\n', 'config/mirrors.yaml: entry 1: name: must not be empty'],
    ['a missing url', '- name: foo\n', 'config/mirrors.yaml: entry 1 ("foo"): url: is required'],
    [
      'a bad visibility',
      '- name: foo\n  url: https://foo.example\n  visibility: secret\n',
      'config/mirrors.yaml: entry 1 ("foo"): visibility: must be one of "public", "private"',
    ],
    [
      'an unknown key',
      '- name: foo\n  url: https://foo.example\n  visiblity: private\n',
      'config/mirrors.yaml: entry 1 ("foo"): unknown key(s) "visiblity"',
    ],
    ['a non-string url', '- name: foo\n  url: 42\n', 'config/mirrors.yaml: entry 1 ("foo"): url: must be a string'],
    [
      'a duplicate URL after normalization',
      ok(1) + '- name: again\n  url: HTTPS://M1.example:443/\n',
      'config/mirrors.yaml: entry 2 ("again"): url: https://m1.example is already declared by entry 1 ("m1")',
    ],
    [
      'a duplicate id',
      '- {name: a, url: "https://a-b.example"}\n- {name: b, url: "https://a.b.example"}\n',
      'config/mirrors.yaml: entry 2 ("b"): url: https://a.b.example maps to the id "a-b-example", already used by entry 1 ("a")',
    ],
    ['a scalar entry', '- https://foo.example\n', 'config/mirrors.yaml: entry 1: expected a mapping'],
    ['a scalar document', 'hello\n', 'config/mirrors.yaml: expected a list of mirrors'],
    ['an empty document', '\n# nothing\n', 'config/mirrors.yaml: the file is empty'],
    ['an unknown top-level key', 'mirrors: []\nextra: 1\n', 'config/mirrors.yaml: unknown top-level key(s) "extra"'],
    ['broken YAML', '- name: foo\n  url: [https://foo.example\n', 'config/mirrors.yaml: line '],
    [
      'a duplicate key in an entry',
      '- name: foo\n  name: bar\n  url: https://foo.example\n',
      'config/mirrors.yaml: line 2: not valid YAML',
    ],
  ])('%s', (_label, text, message) => {
    expect(() => parseCatalog(text, SOURCE)).toThrow(CatalogError);
    expect(() => parseCatalog(text, SOURCE)).toThrow(message);
  });

  it('exposes the location as fields', () => {
    try {
      parseCatalog('- name: a\n  url: https://a.example\n- name: foo\n  url: https://foo.example/v2\n', SOURCE);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      const e = error as CatalogError;
      expect([e.source, e.entryNumber, e.entryName, e.field, e.line]).toEqual([SOURCE, 2, 'foo', 'url', 3]);
    }
  });
});

describe('parseCatalog: upstreams and path prefixes', () => {
  it('reads host-style and path-prefix mirrors of several upstreams from one host', () => {
    const mirrors = parseCatalog(
      [
        '- {name: K8s, url: "https://k8s.m.daocloud.io", upstream: registry.k8s.io}',
        '- {name: M k8s, url: "https://m.daocloud.io", upstream: registry.k8s.io, pathPrefix: registry.k8s.io}',
        '- {name: M ghcr, url: "https://m.daocloud.io", upstream: ghcr.io, pathPrefix: /ghcr.io/}',
        '- {name: M hub, url: "https://m.daocloud.io", pathPrefix: docker.io}',
      ].join('\n'),
      SOURCE,
    );
    expect(mirrors.map((m) => [m.id, m.upstream, m.pathPrefix])).toEqual([
      ['k8s-m-daocloud-io', 'registry.k8s.io', null],
      ['m-daocloud-io--registry-k8s-io', 'registry.k8s.io', 'registry.k8s.io'],
      ['m-daocloud-io--ghcr-io', 'ghcr.io', 'ghcr.io'],
      ['m-daocloud-io--docker-io', 'docker.io', 'docker.io'],
    ]);
  });

  it.each([
    [
      'an unknown upstream',
      'upstream: registry.example',
      'upstream: unknown registry "registry.example"; known: docker.io, registry.k8s.io',
    ],
    [
      'an upstream URL',
      'upstream: https://ghcr.io',
      'upstream: "https://ghcr.io" is a URL; write the registry host alone, such as ghcr.io',
    ],
    ['a Docker Hub alias', 'upstream: index.docker.io', 'upstream: write docker.io for Docker Hub'],
    ['a prefix with /v2', 'pathPrefix: /v2/registry.k8s.io', 'pathPrefix: "/v2/registry.k8s.io" includes /v2'],
    [
      'a prefix with capitals',
      'pathPrefix: Registry.k8s.io',
      'pathPrefix: "Registry.k8s.io" in "Registry.k8s.io" is not a repository path component',
    ],
    ['a prefix with a query', 'pathPrefix: "k8s?x=1"', 'pathPrefix: "k8s?x=1" in "k8s?x=1" is not a repository path component'],
    ['a non-string upstream', 'upstream: 5', 'upstream: must be a string'],
  ])('%s', (_label, line, message) => {
    expect(() => parseCatalog(`- name: foo\n  url: https://foo.example\n  ${line}\n`, SOURCE)).toThrow(
      `${SOURCE}: entry 1 ("foo"): ${message}`,
    );
  });

  it('reads where the prefix goes: after /v2/ by default, before /v2 for registry-root', () => {
    const mirrors = parseCatalog(
      [
        '- {name: M ghcr, url: "https://m.daocloud.io", upstream: ghcr.io, pathPrefix: ghcr.io}',
        '- {name: P ghcr, url: "https://p.example", upstream: ghcr.io, pathPrefix: ghcr.io, pathStyle: registry-root}',
        '- {name: Q ghcr, url: "https://q.example", upstream: ghcr.io, pathPrefix: ghcr.io, pathStyle: repository-prefix}',
        '- {name: Host, url: "https://ghcr.example", upstream: ghcr.io}',
      ].join('\n'),
      SOURCE,
    );
    expect(mirrors.map((m) => [m.id, m.pathStyle])).toEqual([
      ['m-daocloud-io--ghcr-io', 'repository-prefix'],
      ['p-example--ghcr-io', 'registry-root'],
      ['q-example--ghcr-io', 'repository-prefix'],
      ['ghcr-example', undefined],
    ]);
  });

  it.each([
    [
      'an unknown path style',
      'pathPrefix: ghcr.io\n  pathStyle: nexus',
      'pathStyle: "nexus" is not a path style; use repository-prefix or registry-root',
    ],
    ['a path style without a prefix', 'pathStyle: registry-root', 'pathStyle: needs a pathPrefix'],
  ])('refuses %s, naming pathStyle', (_label, lines, message) => {
    expect(() => parseCatalog(`- name: foo\n  url: https://foo.example\n  upstream: ghcr.io\n  ${lines}\n`, SOURCE)).toThrow(
      `${SOURCE}: entry 1 ("foo"): ${message}`,
    );
  });

  it('refuses the same endpoint twice, naming the path prefix', () => {
    const text =
      '- {name: a, url: "https://m.example", pathPrefix: ghcr.io, upstream: ghcr.io}\n- {name: b, url: "https://m.example", pathPrefix: ghcr.io, upstream: ghcr.io}\n';
    expect(() => parseCatalog(text, SOURCE)).toThrow(
      'entry 2 ("b"): pathPrefix: https://m.example/ghcr.io is already declared by entry 1 ("a")',
    );
  });
});

describe('loadCatalogFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-catalog-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and resolves ca next to it', async () => {
    const path = join(dir, 'mirrors.yaml');
    await writeFile(path, '- {name: A, url: "https://a.example", ca: a.pem}\n');
    const [mirror] = await loadCatalogFile(path);
    expect(mirror?.caPath).toBe(join(dir, 'a.pem'));
  });

  it('names the path of a missing file', async () => {
    const path = join(dir, 'missing.yaml');
    await expect(loadCatalogFile(path)).rejects.toThrow(`${path}: file not found`);
  });

  it('names the path when the file is invalid', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, '- {name: A, url: "ftp://a.example"}\n');
    await expect(loadCatalogFile(path)).rejects.toThrow(`${path}: entry 1 ("A"): url: scheme "ftp"`);
  });
});
