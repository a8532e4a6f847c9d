import { describe, expect, it } from 'vitest';
import { fetchedManifestDigests, mirrorHostsToml } from './containerd.js';

describe('containerd client helpers', () => {
  it('mirrorHostsToml names the mirror as a host, the CA when given, and the fallback server', () => {
    const withCa = mirrorHostsToml({ mirrorUrl: 'https://127.0.0.1:5000', caPath: '/pki/ca.pem', serverUrl: 'http://127.0.0.1:11111' });
    expect(withCa).toBe(
      [
        'server = "http://127.0.0.1:11111"',
        '',
        '[host."https://127.0.0.1:5000"]',
        '  capabilities = ["pull", "resolve"]',
        '  ca = "/pki/ca.pem"',
        '',
      ].join('\n'),
    );
    expect(mirrorHostsToml({ mirrorUrl: 'http://127.0.0.1:5000', caPath: null, serverUrl: 'http://127.0.0.1:1' })).not.toContain('ca =');
  });

  it('fetchedManifestDigests reads the manifest progress lines only, once each, through colour codes and redraws', () => {
    const manifest = `sha256:${'ab'.repeat(32)}`;
    const output = [
      'docker.io/library/alpine:latest: resolved |\u001b[32m++++\u001b[0m|',
      `index-sha256:${'cd'.repeat(32)}: done |\u001b[32m++\u001b[0m|\r`,
      `manifest-${manifest}: downloading |\u001b[32m+\u001b[0m|\r`,
      `manifest-${manifest}: done |\u001b[32m++\u001b[0m|`,
      `config-sha256:${'ef'.repeat(32)}: done`,
      `layer-sha256:${'01'.repeat(32)}: done`,
    ].join('\n');
    expect(fetchedManifestDigests(output)).toEqual([manifest]);
    expect(fetchedManifestDigests('ctr: failed to resolve reference')).toEqual([]);
  });
});
