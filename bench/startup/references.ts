import { spawn } from 'node:child_process';
import { sleep } from '../history/measure.js';

/**
 * The floor any Node.js server pays on this machine, measured in the same run:
 * a bare `node:http` server's time from spawn to its first answer.
 */
export async function bareServerFirstAnswerMs(port: number): Promise<number> {
  const source = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['-e', source], { stdio: 'ignore' });
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/`).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) return performance.now() - spawnedAt;
      await sleep(20);
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/**
 * What loading the product's main libraries alone costs: a `node -e` that
 * imports Nest (core, Express platform), the generated SQLite Prisma client
 * with its driver adapter, and Next.js's server, then exits. Spawn to exit.
 */
export async function libraryImportMs(cwd: string): Promise<number> {
  const source = [
    "await import('reflect-metadata')",
    "await import('@nestjs/core')",
    "await import('@nestjs/platform-express')",
    "await import('@prisma/adapter-better-sqlite3')",
    "await import('./prisma/generated/sqlite/index.js')",
    "await import('next')",
  ].join(';');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the library import reference exited with ${code}`);
  return performance.now() - spawnedAt;
}
