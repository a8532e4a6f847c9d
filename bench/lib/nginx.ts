/**
 * nginx (Debian's nginx-light) with one worker serving one file: the
 * wire-speed reference for documents served from memory. Runs as its own
 * process tree in a scratch prefix, logs off, on a free loopback port.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

export async function startNginx(file: string, contentType: string, scratch: string): Promise<RunningNginx> {
  const port = await freePort();
  // The worker runs as nobody when started by root: the served copy lives in a directory it may read.
  const docroot = mkdtempSync(join(tmpdir(), 'mirrorwatch-nginx-'));
  chmodSync(docroot, 0o755);
  copyFileSync(file, join(docroot, basename(file)));
  chmodSync(join(docroot, basename(file)), 0o644);
  const prefix = join(scratch, 'nginx');
  mkdirSync(prefix, { recursive: true });
  const config = join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    [
      'worker_processes 1;',
      'daemon off;',
      'master_process on;',
      `pid ${join(prefix, 'nginx.pid')};`,
      'error_log stderr error;',
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;`,
      `  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;`,
      '  keepalive_requests 1000000;',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      `    location = /${basename(file)} { root ${docroot}; default_type "${contentType}"; }`,
      '  }',
      '}',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', prefix, '-c', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}/${basename(file)}`;
  await waitUntilServing(url, child);
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGQUIT');
        });
      }
      rmSync(docroot, { recursive: true, force: true });
    },
  };
}

async function waitUntilServing(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nginx did not start serving within 5 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
