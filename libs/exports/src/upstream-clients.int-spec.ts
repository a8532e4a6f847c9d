import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorApiBase, mirroredRepository, UPSTREAM_REGISTRIES } from '@mirrorwatch/domain';
import {
  containerdForTests,
  ctrContentFetch,
  requireRegistryBinary,
  reserveDeadPort,
  runSkopeo,
  skopeoForTests,
  startContainerd,
  startUpstreamsLab,
  type ContainerdDaemon,
  type FaultServerHandle,
  type UpstreamLabMirror,
  type UpstreamsLab,
} from '@mirrorwatch/lab';
import { probeMirror } from '@mirrorwatch/probe';
import { renderHostsToml } from './containerd-hosts-toml.js';
import { renderRegistriesConfForUpstreams } from './upstream-client-configs.js';

/**
 * Issue 13: real clients pull through the files mirrorwatch generates for
 * upstreams other than Docker Hub, host-style and path-prefix, against the
 * lab's second upstream (ghcr.io with its own token flavour), and the probe
 * engine agrees with containerd on every mirror, faulty ones included. Both
 * prefix styles: `/v2/<registry>/...` and `/<registry>/v2/...`.
 */
const CLIENT_TIMEOUT_MS = 20_000;
const skopeo = skopeoForTests();
const containerd = containerdForTests();

/** Set WRITE_UPSTREAM_AGREEMENT=docs/agreement.md to refresh that page's upstreams section from this run. */
const SECTION_START = '<!-- upstream-agreement:start -->';
const SECTION_END = '<!-- upstream-agreement:end -->';
interface Row {
  name: string;
  upstream: string;
  style: string;
  engine: string;
  ctr: string;
  skopeo: string;
}

async function writeSection(docPath: string, rows: readonly Row[]): Promise<void> {
  const doc = await readFile(docPath, 'utf8');
  const start = doc.indexOf(SECTION_START);
  const end = doc.indexOf(SECTION_END);
  if (start < 0 || end < start) throw new Error(`${docPath} has no ${SECTION_START} … ${SECTION_END} section to fill`);
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} by libs/exports/src/upstream-clients.int-spec.ts; clients configured only by the files mirrorwatch renders (hosts.toml with \`server\` moved to a dead port, registries.conf).`,
    '',
    '| mirror | upstream | style | mirrorwatch deep probe | ctr content fetch (our hosts.toml) | skopeo inspect (our registries.conf) | agree |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.upstream} | ${r.style} | ${r.engine} | ${r.ctr} | ${r.skopeo} | ${r.engine.startsWith('usable') === r.ctr.startsWith('usable') ? 'yes' : 'NO'} |`,
    ),
  ].join('\n');
  await writeFile(docPath, `${doc.slice(0, start)}${SECTION_START}\n${table}\n${doc.slice(end)}`);
}

const serverOf = (upstream: string) => UPSTREAM_REGISTRIES.find((entry) => entry.host === upstream)?.serverUrl ?? '';

describe('upstream mirrors through real clients', () => {
  let lab: UpstreamsLab;
  let daemon: ContainerdDaemon | null = null;
  let unreachable: FaultServerHandle;
  let scratch: string;
  const rows = new Map<string, Row>();

  beforeAll(async () => {
    requireRegistryBinary();
    scratch = await mkdtemp(join(tmpdir(), 'mw-upstream-clients-'));
    unreachable = await reserveDeadPort('ctr-server');
    [lab, daemon] = await Promise.all([
      startUpstreamsLab(),
      containerd.binaries ? startContainerd(containerd.binaries) : Promise.resolve(null),
    ]);
  });

  afterAll(async () => {
    const docPath = process.env['WRITE_UPSTREAM_AGREEMENT'];
    if (docPath && rows.size > 0) await writeSection(docPath, [...rows.values()]);
    await Promise.allSettled([lab?.stop(), daemon?.stop(), unreachable?.stop()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const image = (mirror: UpstreamLabMirror) =>
    mirror.upstream === 'ghcr.io'
      ? {
          reference: `ghcr.io/${lab.busybox.repository}:${lab.busybox.tag}`,
          repository: lab.busybox.repository,
          tag: lab.busybox.tag,
          seeded: lab.busybox,
        }
      : {
          reference: `docker.io/${lab.alpine.repository}:${lab.alpine.tag}`,
          repository: lab.alpine.repository,
          tag: lab.alpine.tag,
          seeded: lab.alpine,
        };

  /** Our hosts.toml, with `server` moved to a dead port: a failing mirror must not be rescued by a real registry. */
  function hostsTomlFor(mirror: UpstreamLabMirror): string {
    const generated = renderHostsToml(mirror.upstream, [{ url: mirror.url, pathPrefix: mirror.pathPrefix, pathStyle: mirror.pathStyle }]);
    const serverLine = `server = "${serverOf(mirror.upstream)}"`;
    expect(generated).toContain(serverLine);
    return generated.replace(serverLine, `server = "${unreachable.url}"`);
  }

  it('the lab ghcr.io speaks its own token flavour, and the probe engine does the dance (placeholder scope ignored)', async () => {
    const result = await probeMirror({ url: lab.ghcr.url }, { repository: lab.busybox.repository, reference: lab.busybox.tag });
    expect(result.failureClass).toBeNull();
    expect(result.manifest?.digest).toBe(lab.busybox.index);
    expect(lab.ghcr.auth.tokensIssued()).toBeGreaterThan(0);
  });

  it('the registry-root host answers the ping under /<registry>/v2/ only', async () => {
    const root = lab.mirror('ghcr root');
    expect((await fetch(`${root.url}/ghcr.io/v2/`)).status).toBe(200);
    expect((await fetch(`${root.url}/v2/`)).status).toBe(404);
  });

  it.each([
    'hub host',
    'hub prefix',
    'hub root',
    'ghcr host',
    'ghcr prefix',
    'ghcr root',
    'ghcr dead',
    'ghcr wrong prefix',
    'ghcr wrong root',
  ])('%s: the probe engine and containerd (our hosts.toml) agree, and what works serves the lab digest', async (name) => {
    const mirror = lab.mirror(name);
    const wanted = image(mirror);
    const result = await probeMirror(
      { url: mirrorApiBase(mirror.url, mirror.pathPrefix, mirror.pathStyle) },
      { kind: 'deep', repository: mirroredRepository(wanted.repository, mirror.pathPrefix, mirror.pathStyle), reference: wanted.tag },
    );
    expect(result.ok, `${name}: ${result.failureClass} ${result.detail}`).toBe(mirror.works);
    if (mirror.works) expect(result.manifest?.digest).toBe(wanted.seeded.index);
    const row: Row = {
      name,
      upstream: mirror.upstream,
      style: mirror.pathPrefix
        ? `${mirror.pathStyle === 'registry-root' ? 'registry root' : 'path prefix'} \`${mirror.pathPrefix}\``
        : 'host',
      engine: result.ok
        ? `usable, ${result.manifest?.digest.slice(0, 19)}…`
        : `unusable: \`${result.failureClass}\` (${result.failedPhase})`,
      ctr: 'not run',
      skopeo: mirror.pathStyle === 'registry-root' ? 'left out of registries.conf (no path before /v2)' : 'not run',
    };
    rows.set(name, row);
    if (!daemon) {
      expect(containerd.skip).toBe(true);
      return;
    }
    const hostsToml = hostsTomlFor(mirror);
    if (mirror.pathPrefix) expect(hostsToml).toContain('override_path = true');
    const run = await ctrContentFetch(daemon, {
      namespace: name.replace(/\W+/g, '-'),
      hostsToml,
      image: wanted.reference,
      timeoutMs: CLIENT_TIMEOUT_MS,
    });
    row.ctr = run.ok ? `usable, manifest ${run.manifestDigests[0]?.slice(0, 19) ?? '?'}…` : `unusable (exit ${run.code ?? 'killed'})`;
    expect(run.ok, `${name}: ${run.stderr}`).toBe(mirror.works);
    if (mirror.works) {
      expect(run.manifestDigests).toContain(wanted.seeded.amd64Manifest);
      expect(await run.holds(wanted.seeded.layer)).toBe(true);
    }
  });

  it.each(['ghcr host', 'ghcr prefix', 'hub prefix'])('%s: skopeo with our registries.conf reads the lab digest', async (name) => {
    if (!skopeo.path) {
      expect(skopeo.skip).toBe(true);
      return;
    }
    const mirror = lab.mirror(name);
    const wanted = image(mirror);
    const conf = renderRegistriesConfForUpstreams([
      { upstream: mirror.upstream, mirrors: [{ url: mirror.url, pathPrefix: mirror.pathPrefix, pathStyle: mirror.pathStyle }] },
    ]);
    const path = join(scratch, `${name.replace(/\W+/g, '-')}.conf`);
    await writeFile(path, conf);
    const run = await runSkopeo(['--registries-conf', path, 'inspect', '--raw', `docker://${wanted.reference}`], {
      timeoutMs: CLIENT_TIMEOUT_MS,
    });
    const digest = `sha256:${createHash('sha256').update(run.stdout).digest('hex')}`;
    const row = rows.get(name);
    if (row) row.skopeo = run.code === 0 ? `usable, ${digest.slice(0, 19)}…` : `unusable (exit ${run.code ?? 'killed'})`;
    expect(run.code, run.stderr).toBe(0);
    expect(`sha256:${createHash('sha256').update(run.stdout).digest('hex')}`).toBe(wanted.seeded.index);
  });
});
