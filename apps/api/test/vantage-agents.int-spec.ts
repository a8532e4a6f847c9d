import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentResultAckDto, IssuedAgentTokenDto, ProbeDto, VantageMatrixDto } from '@mirrorwatch/api-types';
import {
  requireRegistryBinary,
  startAgent,
  startLab,
  startProduct,
  type Lab,
  type RunningAgent,
  type RunningProduct,
} from '@mirrorwatch/lab';
import { waitFor } from './testing/replica-helpers.js';
import { ServerGate } from './testing/server-gate.js';

/**
 * Vantage agents end to end: the built server and the built agent (child
 * processes) against the real lab registries. Agents reach the server
 * through a gate (a forwarding proxy) that plays the network: closed, the
 * server is unreachable; holding an answer, the server stored a batch the
 * agent never heard about.
 */
const ADMIN_TOKEN = 'vantage-agents-admin-token';
const INTERVAL_SECONDS = 5;

describe('vantage agents against the real product', () => {
  let lab: Lab;
  let product: RunningProduct;
  let gate: ServerGate & { origin: string };
  let workDir: string;
  let databaseFile: string;
  const agents: RunningAgent[] = [];
  const tokens = new Map<string, IssuedAgentTokenDto>();

  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${product.origin}/api/admin/${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const startServer = () =>
    startProduct({
      catalogPath: path.join(workDir, 'catalog.yaml'),
      lab,
      probeIntervalSeconds: INTERVAL_SECONDS,
      env: { ADMIN_TOKEN, DATABASE_URL: `file:${databaseFile}`, AGENT_REQUESTS_PER_MINUTE: '60', DOWN_QUORUM: '2' },
    });
  const storedIds = (vantageId: string): string[] => {
    const db = new Database(databaseFile, { readonly: true });
    try {
      return (db.prepare('SELECT resultId FROM Probe WHERE vantageId = ?').all(vantageId) as { resultId: string }[]).map(
        (row) => row.resultId,
      );
    } finally {
      db.close();
    }
  };
  const spawnAgent = (vantage: string, spool: string) => {
    const agent = startAgent({ server: gate.origin, token: tokens.get(vantage)?.token ?? '', spoolPath: path.join(workDir, spool) });
    agents.push(agent);
    return agent;
  };
  const post = (token: string, body: unknown) =>
    fetch(`${product.origin}/api/agent/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-agents-'));
    databaseFile = path.join(workDir, 'mirrorwatch.db');
    lab = await startLab();
    await lab.writeCatalog(path.join(workDir, 'catalog.yaml'));
    product = await startServer();
    gate = await ServerGate.start(product.origin);
    for (const id of ['vantage-a', 'vantage-b']) {
      expect((await admin('POST', 'vantages', { id, name: id.toUpperCase() })).status).toBe(201);
      const issued = await admin('POST', `vantages/${id}/tokens`, { label: 'test' });
      expect(issued.status).toBe(201);
      tokens.set(id, (await issued.json()) as IssuedAgentTokenDto);
    }
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await gate?.stop();
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('refuses bad vantages and shows no token twice', async () => {
    const bad = await admin('POST', 'vantages', { id: 'Not A Slug' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('id');
    expect((await admin('POST', 'vantages', { id: 'vantage-a' })).status).toBe(409);
    const listed = await (await admin('GET', 'vantages/vantage-a/tokens')).text();
    expect(listed).not.toContain(tokens.get('vantage-a')?.token);
  });

  it('stores agent results tagged with their vantage, and each vantage gets its own views', async () => {
    spawnAgent('vantage-a', 'a.spool');
    spawnAgent('vantage-b', 'b.spool');
    const healthy = lab.mirror('healthy');
    const healthyId = ((await (await fetch(`${product.origin}/api/mirrors`)).json()) as { id: string; url: string }[]).find(
      (m) => m.url === healthy.url,
    )?.id as string;
    const matrix = await waitFor(
      'both agents to report the healthy mirror up',
      60_000,
      async () => (await (await fetch(`${product.origin}/api/vantages/matrix`)).json()) as VantageMatrixDto,
      (m) =>
        ['vantage-a', 'vantage-b'].every(
          (v) => m.mirrors.find((row) => row.id === healthyId)?.cells.find((cell) => cell.vantage === v)?.status === 'up',
        ),
    );
    expect(matrix.vantages.map((v) => v.id)).toEqual(['local', 'vantage-a', 'vantage-b']);
    const dead = matrix.mirrors.find((row) => row.name === lab.mirror('dead').name);
    await waitFor(
      'the dead mirror down from vantage-a',
      30_000,
      async () => (await (await fetch(`${product.origin}/api/vantages/matrix`)).json()) as VantageMatrixDto,
      (m) => m.mirrors.find((row) => row.id === dead?.id)?.cells.find((cell) => cell.vantage === 'vantage-a')?.status === 'down',
    );
    // Stored per vantage: each vantage's probe log holds its own rows only (default local).
    // The server's own rows land when its cycle ends (one write per cycle), which can be after the agents' first batches.
    for (const vantage of ['local', 'vantage-a', 'vantage-b']) {
      const route = `/api/mirrors/${healthyId}/probes?limit=100${vantage === 'local' ? '' : `&vantage=${vantage}`}`;
      const probes = await waitFor(
        `${vantage}'s probes of the healthy mirror`,
        60_000,
        async () => (await (await fetch(`${product.origin}${route}`)).json()) as ProbeDto[],
        (rows) => rows.length > 0,
      );
      expect(new Set(probes.map((probe) => probe.vantage))).toEqual(new Set([vantage]));
    }

    const perVantage = await fetch(`${product.origin}/api/recommended-daemon.json?vantage=vantage-a&count=2`);
    expect(perVantage.status).toBe(200);
    expect(perVantage.headers.get('x-mirrorwatch-vantage')).toBe('vantage-a');
    expect(((await perVantage.json()) as { 'registry-mirrors': string[] })['registry-mirrors']).toContain(healthy.url);
    const unknown = await fetch(`${product.origin}/api/recommended-daemon.json?vantage=nowhere`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { field: string }).field).toBe('vantage');
    const status = (await (await fetch(`${product.origin}/api/status`)).json()) as {
      mirrors: { id: string; vantages?: { vantage: string }[] }[];
    };
    expect(status.mirrors.find((row) => row.id === healthyId)?.vantages?.map((cell) => cell.vantage)).toEqual([
      'local',
      'vantage-a',
      'vantage-b',
    ]);
  });

  it('validates every batch: wrong token 401, forged vantage 403, unknown mirror and clock skew 400 naming the field, replays stored once', async () => {
    const token = tokens.get('vantage-a')?.token as string;
    const mirrorId = ((await (await fetch(`${product.origin}/api/mirrors`)).json()) as { id: string }[])[0]?.id as string;
    const result = {
      id: randomUUID(),
      mirrorId,
      repository: 'library/alpine',
      kind: 'light',
      startedAt: new Date(Date.now() - 1000).toISOString(),
      durationMs: 5,
      ok: false,
      failureClass: 'connect_refused',
      failedPhase: 'connect',
      detail: 'test',
      httpStatus: null,
      timings: {
        dnsMs: 0,
        connectMs: null,
        tlsMs: null,
        pingTtfbMs: null,
        tokenMs: null,
        manifestMs: null,
        blobTtfbMs: null,
        blobTransferMs: null,
      },
      manifest: null,
      blob: null,
      retryAfterSeconds: null,
    };
    const batch = (extra: Record<string, unknown> = {}) => ({ sentAt: new Date().toISOString(), results: [result], ...extra });
    expect((await post('mwa_wrong', batch())).status).toBe(401);
    const forged = await post(token, batch({ vantage: 'vantage-b' }));
    expect([forged.status, ((await forged.json()) as { field: string }).field]).toEqual([403, 'vantage']);
    const unknownMirror = await post(token, { sentAt: new Date().toISOString(), results: [{ ...result, mirrorId: 'no-such-mirror' }] });
    expect([unknownMirror.status, ((await unknownMirror.json()) as { field: string }).field]).toEqual([400, 'results[0].mirrorId']);
    const skewed = await post(token, batch({ sentAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect([skewed.status, ((await skewed.json()) as { field: string }).field]).toEqual([400, 'sentAt']);
    // 10 s of skew is within the bound: stored, with the start time moved onto the server's clock.
    const first = (await (await post(token, batch({ sentAt: new Date(Date.now() + 10_000).toISOString() }))).json()) as AgentResultAckDto;
    expect(first.stored).toBe(1);
    expect(first.clockSkewMs).toBeGreaterThan(9_000);
    const replay = (await (await post(token, batch())).json()) as AgentResultAckDto;
    expect([replay.stored, replay.duplicates]).toEqual([0, 1]);
    expect(storedIds('vantage-a').filter((id) => id === result.id)).toHaveLength(1);
  });

  it('limits a flooding agent without slowing another', async () => {
    // A token of its own: the running agents' buckets stay untouched, as another agent's would.
    const flooder = ((await (await admin('POST', 'vantages/vantage-b/tokens', { label: 'flooder' })).json()) as IssuedAgentTokenDto).token;
    const statuses = await Promise.all(Array.from({ length: 150 }, () => post(flooder, {}).then((r) => r.status)));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const other = await fetch(`${product.origin}/api/agent/config`, {
      headers: { authorization: `Bearer ${tokens.get('vantage-a')?.token}` },
    });
    expect(other.status).toBe(200);
  });

  it('stops an agent whose token was revoked (401)', async () => {
    const agentB = agents[1] as RunningAgent;
    const token = tokens.get('vantage-b') as IssuedAgentTokenDto;
    expect((await admin('DELETE', `vantages/vantage-b/tokens/${token.id}`)).status).toBe(204);
    // Should it not stop, the failure shows what the agent was doing instead of a bare timeout.
    const stillRunning = new Promise<string>((resolve) => setTimeout(() => resolve('still running after 45 s'), 45_000).unref());
    const exit = await Promise.race([agentB.exited, stillRunning]);
    expect(exit, exit === 3 ? '' : agentB.output().slice(-4_000)).toBe(3);
    expect(agentB.output()).toContain('revoked or wrong');
    // Paced below its token's limit, the agent was never told to wait (a 429's Retry-After holds results back).
    expect(agentB.output()).not.toContain('HTTP 429');
    const refused = await fetch(`${product.origin}/api/agent/config`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(refused.status).toBe(401);
  });

  it('delivers every result after the server was away, and none twice', async () => {
    const [agentA] = agents;
    gate.closeGate();
    await product.stop();
    const before = agentA?.spooledIds().length ?? 0;
    // Agents keep probing into their spools while the server is gone (two light cycles and more).
    await waitFor(
      'results spooled during the outage',
      30_000,
      async () => agentA?.spooledIds().length ?? 0,
      (n) => n >= before + 12,
    );
    product = await startServer();
    gate.openGate(product.origin);
    const spooled = agentA?.spooledIds() ?? [];
    // The agent retries with a backoff of up to 10 s, so delivery may start that long after the server is back.
    const stored = await waitFor(
      'every spooled result stored',
      90_000,
      async () => storedIds('vantage-a'),
      (ids) => spooled.every((id) => ids.includes(id)),
    );
    expect(new Set(stored).size).toBe(stored.length);
  }, 180_000);

  it('loses nothing acknowledged and stores nothing twice when an agent is SIGKILLed mid-batch', async () => {
    const victim = agents[0] as RunningAgent;
    const acked = new Promise<void>((resolve) => gate.holdNextAck(() => void victim.kill().then(resolve)));
    await acked;
    const spooledBefore = victim.spooledIds();
    const restarted = spawnAgent('vantage-a', 'a.spool');
    const stored = await waitFor(
      "the killed run's results stored after the restart",
      60_000,
      async () => storedIds('vantage-a'),
      (ids) => spooledBefore.every((id) => ids.includes(id)) && restarted.spooledIds().length > 0,
    );
    expect(new Set(stored).size).toBe(stored.length);
    expect(restarted.output()).toContain('"msg":"spool loaded"');
  });
});
