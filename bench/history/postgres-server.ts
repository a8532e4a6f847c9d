/**
 * A PostgreSQL server for the history benchmark that outlives this script,
 * so a month is seeded once and benchmarked many times:
 *
 *   npm run bench:history:postgres -- start --dir /tmp/mw-pg --port 55433   # prints the server URL
 *   npm run bench:history:postgres -- stop --dir /tmp/mw-pg
 *
 * It is the integration tests' server helper (initdb/pg_ctl from
 * /usr/local/bin, run as `nobody` when started as root, loopback only) with a
 * kept data directory.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  findPostgresBinaries,
  startPostgresTestServer,
} from '../../apps/api/src/infrastructure/persistence/testing/postgres-test-server.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { dir: { type: 'string', default: '/tmp/mirrorwatch-month-pg' }, port: { type: 'string', default: '55433' } },
});
const binaries = findPostgresBinaries();
if (!binaries) throw new Error('initdb/pg_ctl not found (see apps/api/src/infrastructure/persistence/testing/postgres-test-server.ts)');
if (positionals[0] === 'stop') {
  const args = ['-D', path.join(values.dir, 'data'), '-m', 'fast', '-w', 'stop'];
  execFileSync(
    process.getuid?.() === 0 ? 'runuser' : binaries.pgCtl,
    process.getuid?.() === 0 ? ['-u', 'nobody', '--', binaries.pgCtl, ...args] : args,
    { stdio: 'inherit' },
  );
} else {
  const server = await startPostgresTestServer(binaries, { dir: values.dir, port: Number(values.port) });
  process.stdout.write(`${server.url('postgres')}\n`);
}
