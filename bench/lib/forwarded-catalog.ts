import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getFreePort, type Lab } from '@mirrorwatch/lab';
import { startForwarders } from '../history/forwarders.js';

/**
 * A catalog of `count` mirrors that are all the lab's real docker-registry
 * pull-through mirror: each entry is its own loopback port with a TCP
 * forwarder (in the benchmark's process) in front of the registry, so the
 * product probes `count` distinct mirrors the way it would probe real ones.
 */
export async function forwardedCatalog(
  lab: Lab,
  count: number,
  namePrefix: string,
  dir: string,
): Promise<{ catalogPath: string; urls: string[]; stop(): Promise<void> }> {
  const target = new URL(lab.mirror('healthy').url);
  const ports = await Promise.all(Array.from({ length: count }, () => getFreePort()));
  const forwarders = await startForwarders(ports, Number(target.port));
  if (forwarders.taken.length > 0) {
    await forwarders.stop();
    throw new Error(`ports taken: ${forwarders.taken.join(', ')}`);
  }
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const catalogPath = join(dir, 'catalog.yaml');
  writeFileSync(catalogPath, urls.map((url, i) => `- { name: ${namePrefix}-${i}, url: "${url}" }\n`).join(''));
  return { catalogPath, urls, stop: () => forwarders.stop() };
}
