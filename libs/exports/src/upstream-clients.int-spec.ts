import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirroredRepository, UPSTREAM_REGISTRIES } from '@mirrorwatch/domain';
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
 * engine agrees with containerd on every mirror, faulty ones included.
 */
const CLIENT_TIMEOUT_MS = 20_000;
const skopeo = skopeoForTests();
const containerd = containerdForTests();

const serverOf = (upstream: string) => UPSTREAM_REGISTRIES.find((entry) => entry.host === upstream)?.serverUrl ?? '';

describe('upstream mirrors through real clients', () => {
  let lab: UpstreamsLab;
  let daemon: ContainerdDaemon | null = null;
  let unreachable: FaultServerHandle;
  let scratch: string;

  beforeAll(async () => {
    requireRegistryBinary();
    scratch = await mkdtemp(join(tmpdir(), 'mw-upstream-clients-'));
    unreachable = await reserveDeadPort('ctr-server');
    [lab, daemon] = await Promise.all([startUpstreamsLab(), containerd.binaries ? startContainerd(containerd.binaries) : Promise.resolve(null)]);
  });

  afterAll(async () => {
    await Promise.allSettled([lab?.stop(), daemon?.stop(), unreachable?.stop()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const image = (mirror: UpstreamLabMirror) =>
    mirror.upstream === 'ghcr.io'
      ? { reference: `ghcr.io/${lab.busybox.repository}:${lab.busybox.tag}`, repository: lab.busybox.repository, tag: lab.busybox.tag, seeded: lab.busybox }
      : { reference: `docker.io/${lab.alpine.repository}:${lab.alpine.tag}`, repository: lab.alpine.repository, tag: lab.alpine.tag, seeded: lab.alpine };

  /** Our hosts.toml, with `server` moved to a dead port: a failing mirror must not be rescued by a real registry. */
  function hostsTomlFor(mirror: UpstreamLabMirror): string {
    const generated = renderHostsToml(mirror.upstream, [{ url: mirror.url, pathPrefix: mirror.pathPrefix }]);
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

  it.each(['hub host', 'hub prefix', 'ghcr host', 'ghcr prefix', 'ghcr dead', 'ghcr wrong prefix'])(
    '%s: the probe engine and containerd (our hosts.toml) agree, and what works serves the lab digest',
    async (name) => {
      const mirror = lab.mirror(name);
      const wanted = image(mirror);
      const result = await probeMirror({ url: mirror.url }, { kind: 'deep', repository: mirroredRepository(wanted.repository, mirror.pathPrefix), reference: wanted.tag });
      expect(result.ok, `${name}: ${result.failureClass} ${result.detail}`).toBe(mirror.works);
      if (mirror.works) expect(result.manifest?.digest).toBe(wanted.seeded.index);
      if (!daemon) {
        expect(containerd.skip).toBe(true);
        return;
      }
      const hostsToml = hostsTomlFor(mirror);
      if (mirror.pathPrefix) expect(hostsToml).toContain('override_path = true');
      const run = await ctrContentFetch(daemon, { namespace: name.replace(/\W+/g, '-'), hostsToml, image: wanted.reference, timeoutMs: CLIENT_TIMEOUT_MS });
      expect(run.ok, `${name}: ${run.stderr}`).toBe(mirror.works);
      if (mirror.works) {
        expect(run.manifestDigests).toContain(wanted.seeded.amd64Manifest);
        expect(await run.holds(wanted.seeded.layer)).toBe(true);
      }
    },
  );

  it.each(['ghcr host', 'ghcr prefix', 'hub prefix'])('%s: skopeo with our registries.conf reads the lab digest', async (name) => {
    if (!skopeo.path) {
      expect(skopeo.skip).toBe(true);
      return;
    }
    const mirror = lab.mirror(name);
    const wanted = image(mirror);
    const conf = renderRegistriesConfForUpstreams([{ upstream: mirror.upstream, mirrors: [{ url: mirror.url, pathPrefix: mirror.pathPrefix }] }]);
    const path = join(scratch, `${name.replace(/\W+/g, '-')}.conf`);
    await writeFile(path, conf);
    const run = await runSkopeo(['--registries-conf', path, 'inspect', '--raw', `docker://${wanted.reference}`], { timeoutMs: CLIENT_TIMEOUT_MS });
    expect(run.code, run.stderr).toBe(0);
    expect(`sha256:${createHash('sha256').update(run.stdout).digest('hex')}`).toBe(wanted.seeded.index);
  });
});
