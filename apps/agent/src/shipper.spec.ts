import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentResultAckDto } from '@mirrorwatch/api-types';
import type { Logger } from './log.js';
import type { ServerClient, ServerReply } from './server-client.js';
import { Shipper } from './shipper.js';
import { Spool } from './spool.js';

const quiet: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

/** Records when each batch arrived and which result ids it carried; acknowledges everything. */
class RecordingServer {
  readonly arrivals: { at: number; ids: string[] }[] = [];
  private resolveCount: (() => void) | null = null;
  private expected = 0;

  readonly client = {
    postResults: async (body: string): Promise<ServerReply<AgentResultAckDto>> => {
      const results = (JSON.parse(body) as { results: { id: string }[] }).results;
      this.arrivals.push({ at: performance.now(), ids: results.map((result) => result.id) });
      if (this.arrivals.flatMap((arrival) => arrival.ids).length >= this.expected) this.resolveCount?.();
      return { kind: 'ok', value: { stored: results.length, duplicates: 0, clockSkewMs: 0 } };
    },
  } as unknown as ServerClient;

  receivedAll(count: number): Promise<void> {
    this.expected = count;
    return new Promise((resolve) => (this.resolveCount = resolve));
  }
}

describe('Shipper pacing', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'mw-shipper-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("spaces deliveries to three quarters of the server's per-token limit, a full replay included, in order", async () => {
    const spool = new Spool(path.join(dir, 'results.spool'), 1_000);
    await spool.load();
    const ids = Array.from({ length: 12 }, (_, n) => `r${n}`);
    await spool.push(ids.map((id) => JSON.stringify({ id })));
    const server = new RecordingServer();
    const shipper = new Shipper(spool, server.client, quiet, { unauthorized: () => {} }, 2, () => 'v');
    // 600 a minute: one request every 100 ms at most; three quarters of that is one every 134 ms.
    shipper.setRequestLimit(600);
    const delivered = server.receivedAll(ids.length);
    shipper.kick();
    await delivered;
    shipper.stop();
    await shipper.settle();

    expect(server.arrivals.flatMap((arrival) => arrival.ids)).toEqual(ids);
    expect(server.arrivals).toHaveLength(6);
    const gaps = server.arrivals.slice(1).map((arrival, n) => arrival.at - (server.arrivals[n]?.at ?? 0));
    // Timers never fire early, but these are arrival times at the server: one delivery's trip over loopback can
    // take a few ms longer than the next one's (seen: a 132.98 ms gap on a loaded machine), and the clocks round apart.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(128);
    expect(spool.size).toBe(0);
  });

  it('stops waiting out a gap when the agent stops, leaving the rest spooled', async () => {
    const spool = new Spool(path.join(dir, 'results.spool'), 1_000);
    await spool.load();
    await spool.push(['a', 'b', 'c', 'd'].map((id) => JSON.stringify({ id })));
    const server = new RecordingServer();
    const shipper = new Shipper(spool, server.client, quiet, { unauthorized: () => {} }, 2, () => 'v');
    // One request a minute at most: the second batch would wait 80 s.
    shipper.setRequestLimit(1);
    const first = server.receivedAll(2);
    shipper.kick();
    await first;
    shipper.stop();
    await shipper.settle();
    expect(server.arrivals.map((arrival) => arrival.ids)).toEqual([['a', 'b']]);
    expect(spool.size).toBe(2);
  });
});
