import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
    const yaml = renderCatalogYaml([mirror({}), mirror({ variant: 'tls', name: 'lab tls', url: 'https://127.0.0.1:5001', caPath: '/tmp/ca.pem' })]);
    expect(parse(yaml)).toEqual([
      { name: 'lab healthy', url: 'http://127.0.0.1:5000', provider: 'mirrorwatch lab', notes: 'n', visibility: 'public' },
      { name: 'lab tls', url: 'https://127.0.0.1:5001', provider: 'mirrorwatch lab', notes: 'n', visibility: 'public', ca: '/tmp/ca.pem' },
    ]);
  });
});
