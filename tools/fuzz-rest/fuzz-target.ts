import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getFreePort, startProduct, type RunningProduct } from '@mirrorwatch/lab';

export const FUZZ_ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdef';

export interface FuzzTarget {
  product: RunningProduct;
  knownIds: string[];
  stop(): Promise<void>;
}

/**
 * The built product with a catalog of loopback mirrors nobody listens on (one
 * of them private), the admin API on, and rate limits off so the fuzzer
 * reaches the handlers instead of the 429.
 */
export async function startFuzzTarget(extraEnv: Record<string, string> = {}): Promise<FuzzTarget> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-fuzz-'));
  const ports = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
  const catalogPath = path.join(dir, 'catalog.yaml');
  await writeFile(
    catalogPath,
    [
      `- { name: closed one, url: "http://127.0.0.1:${ports[0]}" }`,
      `- { name: closed two, url: "http://127.0.0.1:${ports[1]}" }`,
      `- { name: my accelerator, url: "http://127.0.0.1:${ports[2]}", visibility: private }`,
      '',
    ].join('\n'),
  );
  const product = await startProduct({
    catalogPath,
    probeIntervalSeconds: 5,
    env: {
      ADMIN_TOKEN: FUZZ_ADMIN_TOKEN,
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_EXPORTS_PER_MINUTE: '0',
      RATE_LIMIT_EXPENSIVE_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
  });
  const mirrors = (await (
    await fetch(`${product.origin}/api/admin/mirrors`, { headers: { Authorization: `Bearer ${FUZZ_ADMIN_TOKEN}` } })
  ).json()) as { id: string }[];
  return {
    product,
    knownIds: mirrors.map((m) => m.id),
    async stop() {
      await product.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
