import { beforeAll, describe, expect, it } from 'vitest';
import { probeMirror } from './probe-mirror.js';
import { buildFakeImage } from './testing/fake-image.js';
import { fakeRegistry } from './testing/fake-registry.js';
import { expectFailure, useServers } from './testing/harness.js';
import { createTestPki, type TestPki } from './testing/test-pki.js';

const image = buildFakeImage();
const servers = useServers();
let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});

describe('TLS', () => {
  it('trusts a private CA given as caPem and times the handshake separately', async () => {
    const mirror = await servers.http(fakeRegistry({ image }), { key: pki.serverKey, cert: pki.serverCert });
    const result = await probeMirror({ url: mirror.url, caPem: pki.caPem });
    expect(result.ok).toBe(true);
    expect(result.timings.dnsMs).toBe(0);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tlsMs).toBeGreaterThan(0);
    expect(result.timings.pingTtfbMs).toBeGreaterThan(0);
  });

  it('verifies host names through the private CA too (localhost is in the SAN)', async () => {
    const mirror = await servers.http(fakeRegistry({ image }), { key: pki.serverKey, cert: pki.serverCert });
    const result = await probeMirror({ url: mirror.url.replace('127.0.0.1', 'localhost'), caPem: pki.caPem });
    expect(result.ok).toBe(true);
  });

  it('holds the outbound address policy on https too: a public-scope name resolving to loopback is never connected to', async () => {
    let requests = 0;
    const registry = fakeRegistry({ image });
    const mirror = await servers.http(
      (request, response) => {
        requests++;
        return registry(request, response);
      },
      { key: pki.serverKey, cert: pki.serverCert },
    );
    const result = await probeMirror({ url: mirror.url.replace('127.0.0.1', 'localhost'), caPem: pki.caPem, policy: { scope: 'public' } });
    expectFailure(result, { failureClass: 'blocked_address', failedPhase: 'ping', detail: /localhost resolves to a loopback address/ });
    expect(result.timings.tlsMs).toBeNull();
    expect(requests).toBe(0);
  });

  it.each([
    {
      name: 'unknown CA (no caPem)',
      cert: () => ({ key: pki.serverKey, cert: pki.serverCert }),
      caPem: () => null,
      detail: /UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    },
    {
      name: 'self-signed certificate',
      cert: () => ({ key: pki.selfSignedKey, cert: pki.selfSignedCert }),
      caPem: () => pki.caPem,
      detail: /SELF_SIGNED/,
    },
    {
      name: 'certificate for another host',
      cert: () => ({ key: pki.wrongHostKey, cert: pki.wrongHostCert }),
      caPem: () => pki.caPem,
      detail: /ALTNAME|HOSTNAME/,
    },
  ])('$name is a tls failure', async ({ cert, caPem, detail }) => {
    const mirror = await servers.http(fakeRegistry({ image }), cert());
    const result = await probeMirror({ url: mirror.url, caPem: caPem() });
    expectFailure(result, { failureClass: 'tls', failedPhase: 'ping', detail });
  });

  it('https to a plain-http server is a tls failure', async () => {
    const mirror = await servers.http(fakeRegistry({ image }));
    const result = await probeMirror({ url: mirror.url.replace('http:', 'https:') });
    expectFailure(result, { failureClass: 'tls', failedPhase: 'ping' });
  });
});
