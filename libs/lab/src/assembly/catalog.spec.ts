import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCatalog } from '@mirrorwatch/catalog';
import { renderCatalogYaml } from './catalog.js';
import type { LabMirror } from './lab-mirror.js';

const mirror = (overrides: Partial<LabMirror>): LabMirror => ({
  variant: 'healthy',
  name: 'lab healthy',
  url: 'http://127.0.0.1:5000',
  host: '127.0.0.1:5000',
  provider: 'mirrorwatch lab',
  notes: 'n',
  visibility: 'public',
  caPath: null,
  expectedFailure: null,
  ...overrides,
});

describe('renderCatalogYaml', () => {
  it('renders a YAML list of catalog entries, with ca only for private-CA mirrors', () => {
    const yaml = renderCatalogYaml([
      mirror({}),
      mirror({ variant: 'tls', name: 'lab tls', url: 'https://127.0.0.1:5001', caPath: '/tmp/ca.pem' }),
    ]);
    expect(parse(yaml)).toEqual([
      { name: 'lab healthy', url: 'http://127.0.0.1:5000', provider: 'mirrorwatch lab', notes: 'n', visibility: 'public' },
      { name: 'lab tls', url: 'https://127.0.0.1:5001', provider: 'mirrorwatch lab', notes: 'n', visibility: 'public', ca: '/tmp/ca.pem' },
    ]);
  });
});

describe('lab catalog and the product catalog parser', () => {
  it('parses with @mirrorwatch/catalog into one mirror per lab entry, keeping url and ca', () => {
    const mirrors = [
      mirror({}),
      mirror({ variant: 'dead', name: 'lab dead', url: 'http://127.0.0.1:5002' }),
      mirror({ variant: 'tls', name: 'lab tls', url: 'https://127.0.0.1:5001', caPath: '/tmp/lab-ca.pem' }),
    ];
    const parsed = parseCatalog(renderCatalogYaml(mirrors), '/tmp/lab/catalog.yaml');
    expect(parsed.map((m) => [m.name, m.url, m.visibility, m.caPath])).toEqual([
      ['lab healthy', 'http://127.0.0.1:5000', 'public', null],
      ['lab dead', 'http://127.0.0.1:5002', 'public', null],
      ['lab tls', 'https://127.0.0.1:5001', 'public', '/tmp/lab-ca.pem'],
    ]);
    expect(new Set(parsed.map((m) => m.id)).size).toBe(3);
  });
});
