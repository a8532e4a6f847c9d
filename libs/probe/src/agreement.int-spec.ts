import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containerdForTests,
  requireRegistryBinary,
  skopeoForTests,
  reserveDeadPort,
  startContainerd,
  startLab,
  type ContainerdDaemon,
  type FaultServerHandle,
  type Lab,
} from '@mirrorwatch/lab';
import { probeMirror } from './probe-mirror.js';
import { AGREEMENT_CASES, expectedProbeClass, type AgreementCase } from './testing/agreement/agreement-cases.js';
import { agreementOf, renderAgreementSection, writeAgreementSection, type AgreementRow } from './testing/agreement/agreement-report.js';
import type { ClientOutcome, ClientSkipped } from './testing/agreement/client-outcome.js';
import { ctrFetch, type CtrFetchOutcome } from './testing/agreement/ctr-fetch.js';
import { skopeoCopy, type SkopeoCopyOutcome } from './testing/agreement/skopeo-copy.js';

/**
 * Issue 3, "Agreement with real clients": for every lab mirror, the engine's
 * deep-probe verdict (usable = result.ok) must equal what Debian's skopeo and
 * containerd live through pulling the same image from the same mirror.
 *
 * Set WRITE_AGREEMENT_TABLE=docs/agreement.md to refresh the measured table.
 */

/** Clients get 30 s, twice dockerd's ~15 s on a hanging mirror: a hang or stalled body ends as a kill. */
const CLIENT_TIMEOUT_MS = 30_000;
const REFERENCE = 'latest';

// A missing client fails this file; only MIRRORWATCH_SKIP=skopeo,containerd leaves a column out, and says so.
const skopeo = skopeoForTests();
const containerdRequirement = containerdForTests();
const skopeoPath = skopeo.path;
const containerd = containerdRequirement.binaries;

type Outcome<T extends ClientOutcome> = T | ClientSkipped;
interface MeasuredRow extends AgreementRow {
  skopeo: Outcome<SkopeoCopyOutcome>;
  ctr: Outcome<CtrFetchOutcome>;
}

const ran = <T extends ClientOutcome>(outcome: Outcome<T>): T => {
  if ('skipped' in outcome) throw new Error(`client not run: ${outcome.skipped}`);
  return outcome;
};

describe('agreement with real clients', () => {
  const startedAt = performance.now();
  let lab: Lab;
  let daemon: ContainerdDaemon | null = null;
  let unreachableServer: FaultServerHandle;
  let scratch: string;
  const rows = new Map<string, MeasuredRow>();

  async function measure(agreementCase: AgreementCase): Promise<MeasuredRow> {
    const mirror = lab.mirror(agreementCase.variant);
    const caPath = agreementCase.giveCa ? mirror.caPath : null;
    const slug = agreementCase.id.replace(/[^a-z0-9]+/gi, '-');
    const [engine, skopeo, ctr] = await Promise.all([
      // The product's deep-probe settings (no test-specific timeouts), as the scheduler runs it.
      probeMirror(
        { url: mirror.url, caPem: caPath ? await readFile(caPath, 'utf8') : null },
        { kind: 'deep', repository: agreementCase.repository, reference: REFERENCE, platform: { os: 'linux', architecture: 'amd64' } },
      ),
      skopeoPath
        ? skopeoCopy({
            skopeoPath,
            host: mirror.host,
            tls: mirror.url.startsWith('https:'),
            caPath,
            repository: agreementCase.repository,
            reference: REFERENCE,
            workDir: join(scratch, slug),
            timeoutMs: CLIENT_TIMEOUT_MS,
          })
        : { skipped: 'MIRRORWATCH_SKIP=skopeo' },
      daemon
        ? ctrFetch(daemon, {
            namespace: slug,
            mirrorUrl: mirror.url,
            caPath,
            unreachableServerUrl: unreachableServer.url,
            repository: agreementCase.repository,
            reference: REFERENCE,
            timeoutMs: CLIENT_TIMEOUT_MS,
          })
        : { skipped: 'MIRRORWATCH_SKIP=containerd' },
    ]);
    return { agreementCase, engine, skopeo, ctr };
  }

  beforeAll(async () => {
    requireRegistryBinary();
    scratch = await mkdtemp(join(tmpdir(), 'mw-agreement-'));
    // The hosts.toml `server`: a port nothing listens on, so containerd's fallback cannot rescue a failing mirror.
    unreachableServer = await reserveDeadPort('ctr-server');
    [lab, daemon] = await Promise.all([startLab({ extras: 'all' }), containerd ? startContainerd(containerd) : Promise.resolve(null)]);
    const measured = await Promise.all(AGREEMENT_CASES.map(measure));
    for (const row of measured) rows.set(row.agreementCase.id, row);
  });

  afterAll(async () => {
    try {
      const docPath = process.env['WRITE_AGREEMENT_TABLE'];
      if (docPath) {
        // Asked to write the table: a run that measured less, or without real clients, fails instead of writing.
        if (rows.size !== AGREEMENT_CASES.length)
          throw new Error(`refusing to write ${docPath}: ${rows.size} of ${AGREEMENT_CASES.length} cases measured`);
        const section = renderAgreementSection([...rows.values()], {
          wallMs: performance.now() - startedAt,
          clientTimeoutMs: CLIENT_TIMEOUT_MS,
        });
        await writeAgreementSection(docPath, section);
      }
    } finally {
      await Promise.allSettled([lab?.stop(), daemon?.stop(), unreachableServer?.stop()]);
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  });

  const row = (id: string): MeasuredRow => {
    const found = rows.get(id);
    if (!found) throw new Error(`no measurement for ${id}`);
    return found;
  };
  const verdicts = (id: string, outcome: ClientOutcome) => {
    const { engine } = row(id);
    return {
      // Both sides' own words, so a disagreement explains itself in the failure message.
      message: `mirrorwatch: ${engine.ok ? 'usable' : `${engine.failureClass} — ${engine.detail}`}; client: ${outcome.usable ? 'usable' : outcome.reason}`,
      engine: engine.ok,
      client: outcome.usable,
    };
  };

  it.each(AGREEMENT_CASES.map((c) => [c.id, c] as const))(
    '%s: the deep probe reports the expected pull-level class',
    (id, agreementCase) => {
      const { engine } = row(id);
      expect(engine.failureClass, engine.detail ?? '').toBe(
        expectedProbeClass(agreementCase, lab.mirror(agreementCase.variant).expectedFailure),
      );
      expect(engine.ok).toBe(engine.failureClass === null);
    },
  );

  it.skipIf(skopeo.skip).each(AGREEMENT_CASES.map((c) => c.id))(`%s: skopeo copy lives through the same verdict${skopeo.label}`, (id) => {
    const { message, engine, client } = verdicts(id, ran(row(id).skopeo));
    expect(client, message).toBe(engine);
  });

  it.skipIf(containerdRequirement.skip).each(AGREEMENT_CASES.map((c) => c.id))(
    `%s: ctr content fetch lives through the same verdict${containerdRequirement.label}`,
    (id) => {
      const { message, engine, client } = verdicts(id, ran(row(id).ctr));
      expect(client, message).toBe(engine);
    },
  );

  // With both clients skipped on request nothing was compared: the summary says so, and the table is not written.
  it.skipIf(skopeo.skip && containerdRequirement.skip)(
    `every case was checked by at least one real client, which agrees${skopeo.skip ? skopeo.label : containerdRequirement.label}`,
    () => {
      const agreements = Object.fromEntries([...rows].map(([id, measured]) => [id, agreementOf(measured)]));
      expect(agreements).toEqual(Object.fromEntries(AGREEMENT_CASES.map((c) => [c.id, 'yes'])));
    },
  );

  it('where a pull works, every client got the image manifest and blob the probe reported', async () => {
    const usable = [...rows.values()].filter(({ engine }) => engine.ok);
    expect(usable.length).toBeGreaterThan(0);
    for (const { agreementCase, engine, skopeo, ctr } of usable) {
      const platformDigest = engine.manifest?.platformDigest ?? '';
      expect(platformDigest, agreementCase.id).toMatch(/^sha256:/);
      if (!('skipped' in skopeo)) expect(skopeo.manifestDigest, `${agreementCase.id}: skopeo`).toBe(platformDigest);
      if (!('skipped' in ctr)) {
        expect(await ctr.holds(platformDigest), `${agreementCase.id}: ctr manifest`).toBe(true);
        expect(await ctr.holds(engine.blob?.digest ?? ''), `${agreementCase.id}: ctr blob`).toBe(true);
      }
    }
  });

  it('the stale mirror pulls, but an older image than the upstream: the policy row is real', () => {
    const { engine } = row('stale');
    expect(engine.ok).toBe(true);
    expect(engine.manifest?.digest).not.toBe(lab.alpine.index);
    expect(engine.manifest?.platformDigest).not.toBe(lab.alpine.amd64Manifest);
    expect(row('healthy').engine.manifest?.platformDigest).toBe(lab.alpine.amd64Manifest);
  });
});
