import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The agent's bundle gives undici's HTTP/2 client apps/agent/src/lazy-http2.cjs
 * instead of node:http2 (apps/agent/bundle.mjs). It must hold every constant
 * undici reads, with node:http2's values, and connect() must be the real one.
 */
const require = createRequire(import.meta.url);
const lazy = require('./lazy-http2.cjs') as { constants: Record<string, unknown>; connect: typeof http2.connect };

describe('lazy node:http2 for undici', () => {
  it('holds every constant undici destructures from node:http2, with the real values', () => {
    const clientH2 = readFileSync(require.resolve('undici/lib/dispatcher/client-h2.js'), 'utf8');
    const block = /const\s*\{\s*constants:\s*\{([^}]*)\}\s*\}\s*=\s*http2/.exec(clientH2)?.[1];
    expect(block, 'undici/lib/dispatcher/client-h2.js no longer destructures http2.constants').toBeDefined();
    const names = (block ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    const real = http2.constants as unknown as Record<string, unknown>;
    for (const name of names) expect([name, lazy.constants[name]]).toEqual([name, real[name]]);
    for (const [name, value] of Object.entries(lazy.constants)) expect([name, value]).toEqual([name, real[name]]);
  });

  describe('connect()', () => {
    let server: http2.Http2Server;
    let origin: string;
    beforeAll(async () => {
      server = http2.createServer((request, response) => response.end(`h2 ${request.url}`));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('loads node:http2 on first use and speaks HTTP/2', async () => {
      const session = lazy.connect(origin);
      try {
        const body = await new Promise<string>((resolve, reject) => {
          const stream = session.request({ ':path': '/v2/' });
          let text = '';
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => (text += chunk));
          stream.on('end', () => resolve(text));
          stream.on('error', reject);
        });
        expect(body).toBe('h2 /v2/');
      } finally {
        session.close();
      }
    });
  });
});
