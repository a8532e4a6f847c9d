import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, type TokenServerHandle } from '../auth/token-server.js';
import { startRegistry, type RegistryHandle } from './registry-process.js';

export interface TokenMirrorHandle extends RegistryHandle {
  tokenServer: TokenServerHandle;
}

/**
 * A pull-through mirror that, like Docker Hub and most public mirrors, answers
 * `/v2/` with 401 and a Bearer challenge naming its own realm (the lab token
 * server), and serves only with a token signed by a key it trusts.
 */
export async function startTokenMirror(upstreamUrl: string, name = 'token-mirror'): Promise<TokenMirrorHandle> {
  const keyDir = await mkdtemp(join(tmpdir(), `mirrorwatch-lab-${name}-keys-`));
  let tokenServer: TokenServerHandle | null = null;
  try {
    tokenServer = await startTokenServer({ dir: keyDir });
    const registry = await startRegistry({
      name,
      proxyRemoteUrl: upstreamUrl,
      tokenAuth: {
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootCertBundlePath: tokenServer.rootCertBundlePath,
      },
    });
    const server = tokenServer;
    let stopped: Promise<void> | null = null;
    return {
      ...registry,
      tokenServer: server,
      stop() {
        stopped ??= (async () => {
          await registry.stop();
          await server.stop();
          await rm(keyDir, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (error) {
    await tokenServer?.stop();
    await rm(keyDir, { recursive: true, force: true });
    throw error;
  }
}
