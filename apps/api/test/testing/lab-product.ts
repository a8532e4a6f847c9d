import path from 'node:path';
import { requireRegistryBinary, startLab, startProduct, type Lab, type RunningProduct } from '@mirrorwatch/lab';

/** The standard lab and the built product probing it every 5 s; `stop()` ends both. */
export interface LabProduct {
  lab: Lab;
  product: RunningProduct;
  stop(): Promise<void>;
}

/**
 * Starts the standard lab, writes its catalog into `workDir` and starts the
 * product on it, then waits until the two working lab mirrors (healthy,
 * token) are recommended, so a file's tests start from a ranked catalog.
 */
export async function startLabProduct(workDir: string, env: Record<string, string> = {}): Promise<LabProduct> {
  requireRegistryBinary();
  const lab = await startLab();
  let product: RunningProduct | undefined;
  const stop = async () => {
    await product?.stop();
    await lab.stop();
  };
  try {
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await lab.writeCatalog(catalogPath);
    product = await startProduct({ catalogPath, lab, probeIntervalSeconds: 5, env });
    const { origin } = product;
    await until('two healthy mirrors recommended', async () => {
      const body = (await (await fetch(`${origin}/api/recommended-daemon.json?count=5`)).json()) as { 'registry-mirrors': string[] };
      return body['registry-mirrors'].length === 2;
    });
    return { lab, product, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls `probe` every 300 ms until it returns something truthy; throws naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
