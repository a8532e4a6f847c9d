import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedAgentTokenDto, MirrorSummaryDto, ProbeDto, StatusSummaryDto, VantageMatrixDto } from '@mirrorwatch/api-types';
import {
  requireRegistryBinary,
  startAgent,
  startLab,
  startProduct,
  startTcpForwarder,
  type Lab,
  type RunningAgent,
  type RunningProduct,
} from '@mirrorwatch/lab';
import { startDelayRelay } from './testing/delay-relay.js';
import { waitFor } from './testing/replica-helpers.js';
import { NetworkNamespaces, SERVICE_ADDRESS } from './testing/network-namespaces.js';

/**
 * Three agents, each in its own network namespace joined to the server's by
 * a veth pair, each network shaped differently (one drops the fast mirror's
 * port; one reaches the fast mirror over a 200 ms round trip with 5 % loss;
 * one is clean). The per-vantage verdicts, timings and rankings must differ
 * exactly as the networks do. The delay is a relay the namespace's iptables
 * DNAT sends that mirror's traffic to, because this kernel has no netem
 * (docs/benchmarks/vantage-agents.md). Needs root, ip and iptables: without
 * them the test fails saying which is missing.
 */
const ADMIN_TOKEN = 'vantage-netns-admin-token';
const ONE_WAY_DELAY_MS = 100;
const VANTAGES = ['local', 'drop', 'delayed', 'clean'] as const;

describe('vantages on different networks (network namespaces)', () => {
  let net: NetworkNamespaces;
  let lab: Lab;
  let product: RunningProduct;
  let workDir: string;
  const stops: (() => Promise<void>)[] = [];
  const agents: RunningAgent[] = [];
  const mirrorUrls = { fast: '', slow: '' };

  beforeAll(async () => {
    requireRegistryBinary();
    net = NetworkNamespaces.open();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-netns-'));
    const namespaces = { drop: net.add(1), delayed: net.add(2), clean: net.add(3) };
    lab = await startLab({ extras: ['slow'], latencyMs: 50 });
    // Lab registries listen on loopback; the namespaces reach them (and the server) at the service address.
    const fast = await startTcpForwarder(SERVICE_ADDRESS, Number(new URL(lab.mirror('healthy').url).port));
    const slow = await startTcpForwarder(SERVICE_ADDRESS, Number(new URL(lab.mirror('slow').url).port));
    stops.push(fast.stop, slow.stop);
    mirrorUrls.fast = fast.url;
    mirrorUrls.slow = slow.url;
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeFile(
      catalogPath,
      stringify([
        { name: 'fast', url: fast.url },
        { name: 'slow', url: slow.url },
      ]),
    );
    product = await startProduct({ catalogPath, lab, probeIntervalSeconds: 5, env: { ADMIN_TOKEN, DOWN_QUORUM: '2' } });
    const server = await startTcpForwarder(SERVICE_ADDRESS, product.port);
    stops.push(server.stop);
    const relay = await startDelayRelay({
      listenHost: SERVICE_ADDRESS,
      targetHost: '127.0.0.1',
      targetPort: Number(new URL(lab.mirror('healthy').url).port),
      oneWayMs: ONE_WAY_DELAY_MS,
    });
    stops.push(relay.stop);
    const shaping = {
      drop: net.dropPort(namespaces.drop, fast.port),
      delayed: [
        net.routeVia(namespaces.delayed, fast.port, relay.port),
        `relay delay ${ONE_WAY_DELAY_MS} ms each way`,
        net.lossy(namespaces.delayed, 5, relay.port),
      ].join(', '),
      clean: 'none',
    };
    console.log(`network shaping per vantage: ${JSON.stringify(shaping)}`);
    for (const [vantage, namespace] of Object.entries(namespaces)) {
      const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
      expect(
        (await fetch(`${product.origin}/api/admin/vantages`, { method: 'POST', headers, body: JSON.stringify({ id: vantage }) })).status,
      ).toBe(201);
      const issued = (await (
        await fetch(`${product.origin}/api/admin/vantages/${vantage}/tokens`, { method: 'POST', headers, body: '{}' })
      ).json()) as IssuedAgentTokenDto;
      agents.push(
        startAgent({
          server: server.url,
          token: issued.token,
          spoolPath: path.join(workDir, `${vantage}.spool`),
          prefix: ['ip', 'netns', 'exec', namespace],
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await product?.stop();
    for (const stop of stops) await stop();
    await lab?.stop();
    net?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const cell = (matrix: VantageMatrixDto, mirror: string, vantage: string) =>
    matrix.mirrors.find((row) => row.name === mirror)?.cells.find((entry) => entry.vantage === vantage)?.status;
  const recommended = async (vantage: string) =>
    (
      (await (await fetch(`${product.origin}/api/recommended-daemon.json?vantage=${vantage}&count=2`)).json()) as {
        'registry-mirrors': string[];
      }
    )['registry-mirrors'];

  const matrix = async () => (await (await fetch(`${product.origin}/api/vantages/matrix`)).json()) as VantageMatrixDto;
  const ranking = async (vantage: string) =>
    (await (await fetch(`${product.origin}/api/vantages/${vantage}/mirrors`)).json()) as MirrorSummaryDto[];
  const rankOf = (rows: MirrorSummaryDto[], name: string) => rows.find((row) => row.name === name)?.rank;

  it('sees each network as it is: the dropped port down from one vantage only, up everywhere else', async () => {
    const seen = await waitFor('every vantage to reach a verdict on both mirrors', 90_000, matrix, (m) =>
      VANTAGES.every((v) => ['fast', 'slow'].every((mirror) => ['up', 'down'].includes(cell(m, mirror, v) ?? ''))),
    );
    expect(Object.fromEntries(VANTAGES.map((v) => [v, [cell(seen, 'fast', v), cell(seen, 'slow', v)]]))).toEqual({
      local: ['up', 'up'],
      drop: ['down', 'up'],
      delayed: ['up', 'up'],
      clean: ['up', 'up'],
    });
  });

  it('measures the 200 ms path: every exchange with the fast mirror costs the delayed vantage the round trip, and it ranks that mirror last', async () => {
    // Clean: the fast mirror first (the slow one adds 50 ms a request); delayed: the other way round.
    const ranks = await waitFor(
      'rankings from the delayed and the clean vantage',
      60_000,
      async () => ({ delayed: await ranking('delayed'), clean: await ranking('clean') }),
      (r) => rankOf(r.clean, 'fast') === 1 && rankOf(r.delayed, 'slow') === 1,
    );
    expect([rankOf(ranks.clean, 'fast'), rankOf(ranks.clean, 'slow')]).toEqual([1, 2]);
    expect([rankOf(ranks.delayed, 'slow'), rankOf(ranks.delayed, 'fast')]).toEqual([1, 2]);
    const fastId = ranks.clean.find((row) => row.name === 'fast')?.id as string;
    // Each vantage's own probe log (GET /api/mirrors/:id/probes?vantage=).
    const ok = async (vantage: string) =>
      ((await (await fetch(`${product.origin}/api/mirrors/${fastId}/probes?limit=200&vantage=${vantage}`)).json()) as ProbeDto[]).filter(
        (p) => p.vantage === vantage && p.ok,
      );
    const [delayed, clean] = [await ok('delayed'), await ok('clean')];
    expect(delayed.length).toBeGreaterThan(0);
    expect(clean.length).toBeGreaterThan(0);
    const durations = (list: ProbeDto[]) => list.map((p) => p.durationMs);
    console.log(
      `fast mirror, median light probe: delayed ${median(durations(delayed)).toFixed(0)} ms, clean ${median(durations(clean)).toFixed(0)} ms`,
    );
    // The relay holds each direction 100 ms, so every exchange on that path costs at least the 200 ms round trip,
    // whatever the machine's load: a lower bound per probe, not a comparison of two noisy medians.
    const roundTrip = 2 * ONE_WAY_DELAY_MS;
    expect(Math.min(...delayed.map((p) => p.timings.pingTtfbMs ?? 0))).toBeGreaterThanOrEqual(roundTrip);
    expect(Math.min(...delayed.map((p) => p.timings.manifestMs ?? 0))).toBeGreaterThanOrEqual(roundTrip);
    expect(median(durations(delayed))).toBeGreaterThan(median(durations(clean)));
  });

  it('recommends per network: the blocked mirror is left out only where it is blocked', async () => {
    const perVantage = await waitFor(
      'per-vantage recommendations',
      30_000,
      async () => ({ drop: await recommended('drop'), clean: await recommended('clean'), local: await recommended('local') }),
      (lists) => lists.clean.length === 2 && lists.drop.length === 1,
    );
    expect(perVantage.drop).toEqual([mirrorUrls.slow]);
    expect(new Set(perVantage.clean)).toEqual(new Set([mirrorUrls.fast, mirrorUrls.slow]));
    expect(new Set(perVantage.local)).toEqual(new Set([mirrorUrls.fast, mirrorUrls.slow]));
  });

  it('does not call the mirror down on the status page when only one vantage of four sees it down (DOWN_QUORUM=2)', async () => {
    const status = (await (await fetch(`${product.origin}/api/status`)).json()) as StatusSummaryDto;
    const fast = status.mirrors.find((row) => row.name === 'fast');
    expect(fast?.status).toBe('degraded');
    expect(fast?.vantages?.find((entry) => entry.vantage === 'drop')?.status).toBe('down');
  });
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
