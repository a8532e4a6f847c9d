import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { reserveDeadPort } from '../faults/dead-port.js';
import { requireRegistryBinary } from './registry-binary.js';
import { startRegistry } from './registry-process.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startRegistry', () => {
  it('runs docker-registry until stop() and leaves neither process nor temp dir behind', async () => {
    requireRegistryBinary();
    const registry = await startRegistry({ name: 'lifecycle' });
    try {
      expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
      expect(processAlive(registry.pid)).toBe(true);
      expect(existsSync(registry.dir)).toBe(true);
    } finally {
      await registry.stop();
    }
    expect(processAlive(registry.pid)).toBe(false);
    expect(existsSync(registry.dir)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('fails with the registry output when a proxy upstream is unreachable (distribution panics at start)', async () => {
    requireRegistryBinary();
    const dead = await reserveDeadPort();
    await expect(startRegistry({ name: 'orphan-proxy', proxyRemoteUrl: dead.url, startTimeoutMs: 5_000 })).rejects.toThrow(
      /orphan-proxy failed to start: docker-registry exited early[\s\S]*docker-registry output[\s\S]*connection refused/,
    );
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('mirrorwatch-lab-orphan-proxy-'))).toEqual([]);
  });
});
