import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchServerHandle {
  url: string;
  layerUrl: string;
  stop(): Promise<void>;
}

/** Starts server-main.ts in a child process (same tsx loader) and waits for its URLs. */
export async function spawnBenchServer(options: {
  pingDelayMs: number;
  blobBytesPerSec: number;
  dir: string;
  tls?: { key: string; cert: string };
}): Promise<BenchServerHandle> {
  const tlsArgs: string[] = [];
  if (options.tls) {
    writeFileSync(join(options.dir, 'server.key'), options.tls.key);
    writeFileSync(join(options.dir, 'server.pem'), options.tls.cert);
    tlsArgs.push('--key', join(options.dir, 'server.key'), '--cert', join(options.dir, 'server.pem'));
  }
  const script = fileURLToPath(new URL('./server-main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [...process.execArgv, script, '--delay-ms', String(options.pingDelayMs), '--blob-rate', String(options.blobBytesPerSec), ...tlsArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const { url, layerUrl } = JSON.parse(firstLine) as { url: string; layerUrl: string };
  return {
    url,
    layerUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
