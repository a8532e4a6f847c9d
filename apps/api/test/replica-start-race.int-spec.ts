import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveDeadPort, startProduct, type FaultServerHandle, type RunningProduct } from '@mirrorwatch/lab';
import {
  postgresForTests,
  startPostgresTestServer,
  type PostgresTestServer,
} from '#infrastructure/persistence/testing/postgres-test-server.js';
import { mirrors, readiness, waitFor } from './testing/replica-helpers.js';

/**
 * Replicas started together on a PostgreSQL database that does not exist
 * yet: each one tries to create the database, migrate it and sync the
 * catalog at the same moment. All of them must come up, agree on one
 * scheduler and hold the catalog exactly once. ROUNDS rounds, each on a
 * brand-new database, because a race lost once in a while is still lost.
 */
const { binaries, skip, label } = postgresForTests();
const ROUNDS = 3;
const REPLICAS = 3;

describe.skipIf(skip)(`replicas starting at once on a new database${label}`, () => {
  let postgres: PostgresTestServer;
  let workDir: string;
  let catalogPath: string;
  const deadPorts: FaultServerHandle[] = [];
  const env: Record<string, string> = {};

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-start-race-'));
    postgres = await startPostgresTestServer(binaries!);
    // Mirrors that refuse connections: the race is about the database, not about probing.
    for (const name of ['a', 'b', 'c', 'reference']) deadPorts.push(await reserveDeadPort(name));
    catalogPath = path.join(workDir, 'catalog.yaml');
    const entries = deadPorts.slice(0, 3).map((port, index) => `  - name: Mirror ${index}\n    url: ${port.url}\n`);
    await writeFile(catalogPath, `mirrors:\n${entries.join('')}`);
    env['REFERENCE_REGISTRY_URL'] = deadPorts[3]!.url;
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
    await Promise.allSettled(deadPorts.map((port) => port.stop()));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${REPLICAS} replicas start together, elect one scheduler and list the catalog once`, async () => {
      const databaseUrl = postgres.url(`mirrorwatch_race_${round}`);
      const started = await Promise.allSettled(
        Array.from({ length: REPLICAS }, () =>
          startProduct({ catalogPath, probeIntervalSeconds: 5, env: { ...env, DATABASE_URL: databaseUrl } }),
        ),
      );
      const replicas = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      try {
        const failures = started.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
        expect(failures).toEqual([]);
        const roles = await waitFor(
          'every replica ready, one of them leading',
          30_000,
          () => Promise.all(replicas.map(readiness)),
          (states) => states.every((state) => state.status === 200) && states.filter((state) => state.leader === true).length === 1,
        );
        expect(roles.filter((state) => state.leader === false)).toHaveLength(REPLICAS - 1);
        for (const replica of replicas) {
          expect((await mirrors(replica)).map((mirror) => mirror.name).sort()).toEqual(['Mirror 0', 'Mirror 1', 'Mirror 2']);
        }
      } finally {
        await Promise.all(replicas.map((replica: RunningProduct) => replica.stop()));
      }
    }, 120_000);
  }
});
