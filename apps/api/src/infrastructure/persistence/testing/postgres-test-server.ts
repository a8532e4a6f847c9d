/**
 * A throwaway PostgreSQL server for integration tests: initdb into a temp
 * dir, listen on 127.0.0.1 on a free port, stop and delete in `stop()`.
 * Test-only; nothing in the API imports it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requirement } from '@mirrorwatch/lab';

const run = promisify(execFile);
const START_TIMEOUT_SECONDS = 60;

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

export interface PostgresTestServer {
  /** URL of `database` on this server (superuser `postgres`, trust auth, loopback only). */
  url(database: string): string;
  stop(): Promise<void>;
}

/**
 * initdb/pg_ctl from /usr/local/bin (this workplace's images), else Debian's
 * postgresql-NN package (/usr/lib/postgresql/NN/bin, newest first), else PATH.
 */
export function findPostgresBinaries(): PostgresBinaries | null {
  const candidates = ['/usr/local/bin'];
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const dir of candidates) {
    const initdb = path.join(dir, 'initdb');
    const pgCtl = path.join(dir, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return null;
}

export interface PostgresForTests {
  /** Set whenever `skip` is false. */
  binaries: PostgresBinaries | null;
  /** True only when MIRRORWATCH_SKIP names postgres. */
  skip: boolean;
  /** Append to the suite's name (the skip marker the closing-line reporter counts). */
  label: string;
}

/**
 * The PostgreSQL binaries for a suite. Missing binaries fail the suite, naming
 * the package; only MIRRORWATCH_SKIP=postgres skips it (test-requirements.ts).
 */
export function postgresForTests(): PostgresForTests {
  const binaries = findPostgresBinaries();
  const decision = requirement({
    name: 'postgres',
    missing: binaries ? null : 'PostgreSQL server binaries (initdb, pg_ctl) are not in /usr/local/bin, /usr/lib/postgresql/*/bin or PATH',
    install: 'apt-get install -y postgresql',
  });
  return { binaries: decision.skip ? null : binaries, skip: decision.skip, label: decision.label };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresServerOptions {
  /**
   * Keep the cluster in this directory instead of a temp dir: an existing
   * cluster there is started as is (no initdb), and stop() leaves the files.
   * Benchmarks use it to seed a database once and run against it many times.
   */
  dir?: string;
  port?: number;
}

export async function startPostgresTestServer(
  binaries: PostgresBinaries,
  options: PostgresServerOptions = {},
): Promise<PostgresTestServer> {
  const persistent = options.dir !== undefined;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'mirrorwatch-pg-')));
  await mkdir(dir, { recursive: true });
  const dataDir = path.join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, hand the dir to nobody and run through runuser.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'nobody']);
    const { stdout: gid } = await run('id', ['-g', 'nobody']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = (file: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'nobody', '--', file, ...args], { cwd: dir }) : run(file, args, { cwd: dir });
  const port = options.port ?? (await freePort());
  const stop = async () => {
    await exec(binaries.pgCtl, ['-D', dataDir, '-m', persistent ? 'fast' : 'immediate', '-w', 'stop']).catch(() => undefined);
    if (!persistent) await rm(dir, { recursive: true, force: true });
  };
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await exec(binaries.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    }
    const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await exec(binaries.pgCtl, [
      '-D',
      dataDir,
      '-o',
      serverOptions,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      String(START_TIMEOUT_SECONDS),
      'start',
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop,
  };
}
