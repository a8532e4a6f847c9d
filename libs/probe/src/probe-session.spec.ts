import { describe, expect, it } from 'vitest';
import { Deadline } from './deadline.js';
import { scopeForConfiguredUrl } from './outbound/outbound-policy.js';
import { ProbeFailure } from './probe-failure.js';
import { resolveProbeOptions } from './probe-options.js';
import { ProbeSession } from './probe-session.js';
import { eventually } from './testing/test-servers.js';
import { useServers } from './testing/harness.js';

const servers = useServers();

describe('ProbeSession.close', () => {
  it("fails a request still in flight as undici's own destroy would (same error), and closes its socket", async () => {
    let received = 0;
    // Reads the request and never answers.
    const silent = await servers.raw((socket) => socket.on('data', () => (received += 1)));
    const closeSession = async () => {
      const url = new URL(`${silent.url}/v2/`);
      const total = new Deadline(30_000, 'probe budget');
      const session = new ProbeSession(resolveProbeOptions({}), null, total, { scope: scopeForConfiguredUrl(url) });
      const sent = session.send(url, { phase: 'ping' });
      sent.catch(() => undefined);
      expect(await eventually(() => received > 0, 2_000)).toBe(true);
      received = 0;
      await session.close();
      total.clear();
      return sent.then(
        () => null,
        (error: unknown) => error,
      );
    };
    // Twice: the reason is one object shared by every session, and a second session must see the same.
    for (const error of [await closeSession(), await closeSession()]) {
      expect(error).toBeInstanceOf(ProbeFailure);
      expect(error).toMatchObject({ failureClass: 'internal', phase: 'ping', detail: 'unexpected error: The client is destroyed' });
    }
  });
});
