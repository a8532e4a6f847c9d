import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  type IncidentDto,
  type IssuedAgentTokenDto,
  type MirrorHistoryDto,
  type MirrorSummaryDto,
  type ProbeDto,
  type RecommendedDaemonJsonDto,
  type StatusSummaryDto,
} from '@mirrorwatch/api-types';
import { mirrorIdFromUrl } from '@mirrorwatch/catalog';
import { requireRegistryBinary, startLab, startProduct, writeCatalogFile, type Lab, type RunningProduct } from '@mirrorwatch/lab';
import { agentLightResult, postAgentResults } from './testing/agent-results.js';
import { waitFor } from './testing/replica-helpers.js';

/**
 * Every per-vantage view of the built server, from results ingested the way
 * agents send them: two networks that disagree about the lab's healthy
 * mirror (one reaches it, one is refused), each export, history, incidents
 * and /metrics per vantage, and nothing of a private mirror in any of them.
 * VANTAGE_BY_CIDR maps loopback, where the test runs, to the network that
 * reaches the mirror.
 */
const ADMIN_TOKEN = 'vantage-views-admin-token';
const PRIVATE_VARIANT = 'token';
const REACHES = 'net-reaches';
const REFUSED = 'net-refused';

/** Every public export route, each with `?vantage=` (and the query marker for the rest). */
const EXPORT_PATHS = [
  '/api/recommended-daemon.json?',
  ...EXPORT_FORMATS.filter((format) => format !== 'http-proxy-conf').map((format) => `/api/export/${format}?`),
  '/api/install.sh?',
  '/api/recommended-hosts.toml?',
  '/api/recommended-registries.conf?',
  '/api/recommended-registries.yaml?',
  '/api/install-containerd.sh?',
];

describe('per-vantage views against the real product', () => {
  let lab: Lab;
  let product: RunningProduct;
  let workDir: string;
  let healthyId: string;
  let deadId: string;
  let privateId: string;
  let privateUrl: string;

  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${product.origin}/api/admin/${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const getJson = async <T>(route: string): Promise<T> => (await fetch(`${product.origin}${route}`)).json() as Promise<T>;
  /** Two results per mirror a few seconds apart: enough to move a state either way (failuresToDown = successesToUp = 2). */
  const report = async (token: string, outcomes: Record<string, boolean>, endingAgoMs: number) => {
    const results = Object.entries(outcomes).flatMap(([mirrorId, ok]) =>
      [2, 1].map((step) => agentLightResult(mirrorId, ok, new Date(Date.now() - endingAgoMs - step * 1000))),
    );
    const response = await postAgentResults(product.origin, token, results);
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-vantage-views-'));
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeCatalogFile(
      catalogPath,
      lab.mirrors.map((mirror) => (mirror.variant === PRIVATE_VARIANT ? { ...mirror, visibility: 'private' as const } : mirror)),
    );
    privateUrl = lab.mirror(PRIVATE_VARIANT).url;
    healthyId = mirrorIdFromUrl(lab.mirror('healthy').url);
    deadId = mirrorIdFromUrl(lab.mirror('dead').url);
    product = await startProduct({
      catalogPath,
      lab,
      probeIntervalSeconds: 5,
      env: {
        ADMIN_TOKEN,
        VANTAGE_BY_CIDR: `127.0.0.0/8=${REACHES}`,
        DATABASE_URL: `file:${path.join(workDir, 'mirrorwatch.db')}`,
        // Fixes the install scripts' origin, so the export wire path answers them too.
        PUBLIC_URL: 'https://mirrorwatch.example',
      },
    });
    // A private mirror's id is random, not derived from its URL: only the admin API names it.
    const all = (await (await admin('GET', 'mirrors')).json()) as { id: string; url: string }[];
    privateId = all.find((mirror) => mirror.url === privateUrl)?.id as string;
    expect(privateId).toMatch(/^private-/);
    const tokens = new Map<string, string>();
    for (const id of [REACHES, REFUSED]) {
      expect((await admin('POST', 'vantages', { id })).status).toBe(201);
      tokens.set(id, ((await (await admin('POST', `vantages/${id}/tokens`)).json()) as IssuedAgentTokenDto).token);
    }
    // The local vantage sees the healthy mirror up first (the remote rankings take freshness and coverage from it).
    await waitFor(
      'the healthy mirror up and eligible locally',
      60_000,
      () => getJson<MirrorSummaryDto[]>('/api/mirrors'),
      (mirrors) =>
        mirrors.some((mirror) => mirror.id === healthyId && mirror.status === 'up' && mirror.eligible) &&
        mirrors.some((mirror) => mirror.id === deadId && mirror.status === 'down'),
    );
    // The refused network goes down on both mirrors, comes back, and goes down again: one closed and one open incident each.
    const refused = tokens.get(REFUSED) as string;
    await report(refused, { [healthyId]: false, [privateId]: false }, 30_000);
    await report(refused, { [healthyId]: true, [privateId]: true }, 20_000);
    await report(refused, { [healthyId]: false, [privateId]: false }, 10_000);
    // The reverse: a network that reaches the mirror this server cannot (locally refused).
    await report(tokens.get(REACHES) as string, { [healthyId]: true, [privateId]: true, [deadId]: true }, 10_000);
  }, 180_000);

  afterAll(async () => {
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.each(EXPORT_PATHS)('serves %s per vantage: its own list, its name, its validator, 400 naming an unknown one', async (route) => {
    const reaches = await fetch(`${product.origin}${route}vantage=${REACHES}`);
    const refused = await fetch(`${product.origin}${route}vantage=${REFUSED}`);
    expect([reaches.status, refused.status]).toEqual([200, 200]);
    expect([reaches.headers.get('x-mirrorwatch-vantage'), refused.headers.get('x-mirrorwatch-vantage')]).toEqual([REACHES, REFUSED]);
    const [reachesBody, refusedBody] = [await reaches.text(), await refused.text()];
    // host:port: every format names a mirror by it (registries.conf without the scheme).
    expect(reachesBody).toContain(lab.mirror('healthy').host);
    expect(refusedBody).not.toContain(lab.mirror('healthy').host);
    for (const body of [reachesBody, refusedBody]) expect(body).not.toContain(lab.mirror(PRIVATE_VARIANT).host);
    expect(reaches.headers.get('cache-control')).toMatch(/^public, /);
    const etag = reaches.headers.get('etag') as string;
    expect(etag).not.toBe(refused.headers.get('etag'));
    const revalidated = await fetch(`${product.origin}${route}vantage=${REACHES}`, { headers: { 'if-none-match': etag } });
    expect([revalidated.status, revalidated.headers.get('x-mirrorwatch-vantage')]).toEqual([304, REACHES]);

    // Without a vantage, loopback is VANTAGE_BY_CIDR's network: its list, kept out of shared caches.
    const byAddress = await fetch(`${product.origin}${route.slice(0, -1)}`);
    expect([byAddress.headers.get('x-mirrorwatch-vantage'), byAddress.headers.get('cache-control')?.split(',')[0]]).toEqual([
      REACHES,
      'private',
    ]);
    expect(await byAddress.text()).toBe(reachesBody);
    const local = await fetch(`${product.origin}${route}vantage=local`);
    expect(local.headers.get('x-mirrorwatch-vantage')).toBe('local');

    const unknown = await fetch(`${product.origin}${route}vantage=nowhere`);
    expect([unknown.status, ((await unknown.json()) as { field: string }).field]).toEqual([400, 'vantage']);
  });

  /** The canonical spelling (taken by the export wire path) and one Express decodes to the same query (taken by Nest). */
  const spellings = EXPORT_PATHS.flatMap((route) => {
    const path = route.slice(0, -1);
    const queries = ['', `vantage=${REACHES}`, 'vantage=local', `count=2&vantage=${REFUSED}`];
    if (path.endsWith('hosts.toml')) queries.push(`registry=docker.io&count=1&vantage=${REACHES}`);
    return queries.map((query) => {
      // An unknown parameter: ignored by the routes, refused by the wire path.
      if (query === '') return [path, `${path}?ignored=1`] as const;
      // The first value's first character percent-encoded: the same parameter to Express, not a plain one to the wire path.
      const at = query.indexOf('=') + 1;
      const encoded = `%${query.charCodeAt(at).toString(16).toUpperCase()}`;
      return [`${path}?${query}`, `${path}?${query.slice(0, at)}${encoded}${query.slice(at + 1)}`] as const;
    });
  });

  it.each(spellings)('answers %s on the export wire path with the status, headers and bytes Nest sends for %s', async (wire, nest) => {
    const snapshot = async (target: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${product.origin}${target}`, { headers });
      const kept = [...response.headers].filter(([name]) => name !== 'x-request-id' && name !== 'date');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      return { status: response.status, headers: kept, body: await response.text() };
    };
    const wireResponses = async () => {
      const scrape = await (await fetch(`${product.origin}/metrics`)).text();
      return Number(/^mirrorwatch_export_wire_responses_total\{status="200"\} (\d+)$/m.exec(scrape)?.[1] ?? Number.NaN);
    };
    // Nest first: it reads what the wire path only peeks at (the live vantages, a vantage's view). A rebuild or a
    // view expiring between two reads may change a header (Last-Modified, ETag) or send the second one through
    // Nest: read the four again, full and revalidated, until one round saw a single view.
    for (let attempt = 0; ; attempt++) {
      const viaNest = await snapshot(nest);
      const countedBefore = await wireResponses();
      const viaWire = await snapshot(wire);
      const counted = (await wireResponses()) - countedBefore;
      const etag = viaWire.headers.find(([name]) => name === 'etag')?.[1] ?? '';
      const revalidated = { 'If-None-Match': etag };
      const revalidatedViaWire = await snapshot(wire, revalidated);
      const revalidatedViaNest = await snapshot(nest, revalidated);
      const sameView =
        JSON.stringify(viaNest) === JSON.stringify(viaWire) && JSON.stringify(revalidatedViaWire) === JSON.stringify(revalidatedViaNest);
      if ((counted !== 1 || !sameView) && attempt < 10) continue;
      expect(viaWire.status).toBe(200);
      expect(counted).toBe(1);
      expect(viaWire).toEqual(viaNest);
      expect(revalidatedViaWire).toEqual(revalidatedViaNest);
      return;
    }
  });

  it("stores a vantage's recommended lists, as the local one's, so every replica serves the same", async () => {
    const served = (await (await fetch(`${product.origin}/api/recommended-daemon.json?vantage=${REACHES}&count=3`)).json()) as {
      'registry-mirrors': string[];
    };
    const db = new Database(path.join(workDir, 'mirrorwatch.db'), { readonly: true });
    try {
      const stored = db
        .prepare("SELECT mirrors FROM Recommendation WHERE vantageId = ? AND scope = 'public' AND count = 3")
        .get(REACHES) as { mirrors: string } | undefined;
      expect(JSON.parse(stored?.mirrors ?? 'null')).toEqual(served['registry-mirrors']);
    } finally {
      db.close();
    }
  });

  it("opens and closes a vantage's incidents from its agents' results, and lists only public mirrors' (default: local)", async () => {
    const refused = await getJson<IncidentDto[]>(`/api/incidents?vantage=${REFUSED}`);
    expect(refused.map((incident) => [incident.mirrorId, incident.vantage, incident.endedAt === null])).toEqual([
      [healthyId, REFUSED, true],
      [healthyId, REFUSED, false],
    ]);
    expect(await getJson<IncidentDto[]>(`/api/incidents?vantage=${REACHES}`)).toEqual([]);
    expect(await getJson<IncidentDto[]>(`/api/incidents?vantage=${REFUSED}&mirrorId=${privateId}`)).toEqual([]);
    const local = await getJson<IncidentDto[]>('/api/incidents');
    expect(local.every((incident) => incident.vantage === 'local')).toBe(true);
    expect(local.some((incident) => incident.mirrorId === healthyId)).toBe(false);
    const unknown = await fetch(`${product.origin}/api/incidents?vantage=nowhere`);
    expect([unknown.status, ((await unknown.json()) as { field: string }).field]).toEqual([400, 'vantage']);
  });

  it("charts a vantage's own probes in the history (default: local)", async () => {
    const refused = await getJson<MirrorHistoryDto>(`/api/mirrors/${healthyId}/history?window=1h&vantage=${REFUSED}`);
    expect(refused.vantage).toBe(REFUSED);
    const sum = (history: MirrorHistoryDto, field: 'probes' | 'successes') =>
      history.buckets.reduce((total, bucket) => total + bucket[field], 0);
    expect([sum(refused, 'probes'), sum(refused, 'successes')]).toEqual([6, 2]);
    const local = await getJson<MirrorHistoryDto>(`/api/mirrors/${healthyId}/history?window=1h`);
    expect(local.vantage).toBe('local');
    expect(sum(local, 'successes')).toBe(sum(local, 'probes'));
    expect((await fetch(`${product.origin}/api/mirrors/${privateId}/history?vantage=${REFUSED}`)).status).toBe(404);
    const unknown = await fetch(`${product.origin}/api/mirrors/${healthyId}/history?vantage=nowhere`);
    expect([unknown.status, ((await unknown.json()) as { field: string }).field]).toEqual([400, 'vantage']);
  });

  it("keeps the local ranking, daemon.json and status page to this server's probes, while ?vantage= views follow the agents", async () => {
    // Read a local ranking rebuilt after the agents' results were stored (by a cycle that probed after now).
    const asked = Date.now();
    const local = await waitFor(
      'a local ranking rebuilt after the ingestion',
      30_000,
      () => getJson<MirrorSummaryDto[]>('/api/mirrors'),
      (mirrors) => Date.parse(mirrors.find((mirror) => mirror.id === healthyId)?.lastProbeAt ?? '') > asked,
    );
    const healthy = local.find((mirror) => mirror.id === healthyId);
    const dead = local.find((mirror) => mirror.id === deadId);
    // The refused network's four failures and the reaching network's successes are not this server's.
    expect(healthy).toMatchObject({ status: 'up', eligible: true, successRate24h: 1, failureClass: null });
    expect(dead).toMatchObject({ status: 'down', eligible: false, successRate24h: 0, failureClass: 'connect_refused' });

    const daemon = (await getJson<RecommendedDaemonJsonDto>('/api/recommended-daemon.json?vantage=local'))['registry-mirrors'];
    expect(daemon).toContain(lab.mirror('healthy').url);
    expect(daemon).not.toContain(lab.mirror('dead').url);
    const reachesDaemon = (await getJson<RecommendedDaemonJsonDto>(`/api/recommended-daemon.json?vantage=${REFUSED}`))['registry-mirrors'];
    expect(reachesDaemon).not.toContain(lab.mirror('healthy').url);

    const status = await getJson<StatusSummaryDto>('/api/status');
    const row = (id: string) => status.mirrors.find((mirror) => mirror.id === id);
    const today = (id: string) => row(id)?.daily.uptimePermille.at(-1);
    expect([today(healthyId), today(deadId)]).toEqual([1000, 0]);
    const cell = (id: string, vantage: string) => row(id)?.vantages?.find((entry) => entry.vantage === vantage)?.status;
    expect([cell(healthyId, 'local'), cell(healthyId, REFUSED), cell(deadId, 'local'), cell(deadId, REACHES)]).toEqual([
      'up',
      'down',
      'down',
      'up',
    ]);

    // The vantage views are the agents': the refused network counts its own six results, the reaching one its two.
    const refusedView = await getJson<MirrorSummaryDto[]>(`/api/vantages/${REFUSED}/mirrors`);
    expect(refusedView.find((mirror) => mirror.id === healthyId)).toMatchObject({ status: 'down', probes24h: 6, successRate24h: 0.3333 });
    const reachesView = await getJson<MirrorSummaryDto[]>(`/api/vantages/${REACHES}/mirrors`);
    expect(reachesView.find((mirror) => mirror.id === deadId)).toMatchObject({ status: 'up', probes24h: 2, successRate24h: 1 });
  });

  it("lists a vantage's own probes of a mirror with ?vantage= (default local), 400 naming an unknown one", async () => {
    const refused = await getJson<ProbeDto[]>(`/api/mirrors/${healthyId}/probes?vantage=${REFUSED}&limit=100`);
    expect(refused.map((probe) => [probe.vantage, probe.ok])).toEqual([
      [REFUSED, false],
      [REFUSED, false],
      [REFUSED, true],
      [REFUSED, true],
      [REFUSED, false],
      [REFUSED, false],
    ]);
    const failures = await getJson<ProbeDto[]>(`/api/mirrors/${healthyId}/probes?vantage=${REFUSED}&failuresOnly=true`);
    expect(failures.map((probe) => probe.ok)).toEqual([false, false, false, false]);
    const local = await getJson<ProbeDto[]>(`/api/mirrors/${healthyId}/probes?limit=100`);
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((probe) => probe.vantage === 'local' && probe.ok)).toBe(true);
    expect(await getJson<ProbeDto[]>(`/api/mirrors/${deadId}/probes?vantage=local&failuresOnly=true&limit=1`)).toMatchObject([
      { vantage: 'local', failureClass: 'connect_refused' },
    ]);
    const unknown = await fetch(`${product.origin}/api/mirrors/${healthyId}/probes?vantage=nowhere`);
    expect([unknown.status, ((await unknown.json()) as { field: string }).field]).toEqual([400, 'vantage']);
    const twice = await fetch(`${product.origin}/api/mirrors/${healthyId}/probes?vantage=local&vantage=local`);
    expect([twice.status, ((await twice.json()) as { field: string }).field]).toEqual([400, 'vantage']);
    expect((await fetch(`${product.origin}/api/mirrors/${privateId}/probes?vantage=${REFUSED}`)).status).toBe(404);
  });

  it('labels each mirror status series with its vantage, and names no private mirror in a public scrape', async () => {
    const scrape = await (await fetch(`${product.origin}/metrics`)).text();
    expect(scrape).toContain(`mirrorwatch_mirror_status{mirror="${healthyId}",vantage="${REFUSED}",status="down"} 1`);
    expect(scrape).toContain(`mirrorwatch_mirror_status{mirror="${healthyId}",vantage="${REACHES}",status="up"} 1`);
    expect(scrape).toContain(`mirrorwatch_mirror_status{mirror="${healthyId}",vantage="local",status="up"} 1`);
    // The private mirror is down from there too: without METRICS_TOKEN the scrape is public and leaves it out.
    expect(scrape).not.toContain(privateId);
  });
});
