import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type RegistryHandle } from '../registry/registry-process.js';
import { createPrivateCa, issueServerCertificate } from '../tls/private-ca.js';

export interface TlsMirrorHandle extends RegistryHandle {
  /** PEM of the private CA; clients need it (catalog `ca:`) or verification fails. */
  caPath: string;
}

/**
 * A healthy pull-through mirror served over https by docker-registry itself
 * (`http.tls`), with a certificate from a private CA: the company-internal
 * mirror case. Strict clients (skopeo, containerd, the probe) must be given
 * the CA; dockerd would skip the check on loopback (it treats 127.0.0.0/8 as
 * insecure), which is why the lab checks with strict clients.
 */
export async function startTlsMirror(upstreamUrl: string, name = 'tls-mirror'): Promise<TlsMirrorHandle> {
  const pkiDir = await mkdtemp(join(tmpdir(), `mirrorwatch-lab-${name}-pki-`));
  try {
    const ca = await createPrivateCa(pkiDir);
    const server = await issueServerCertificate(ca, pkiDir, 'registry');
    const registry = await startRegistry({
      name,
      proxyRemoteUrl: upstreamUrl,
      tls: { certificatePath: server.certPath, keyPath: server.keyPath, caPath: ca.certPath },
    });
    let stopped: Promise<void> | null = null;
    return {
      ...registry,
      caPath: ca.certPath,
      stop() {
        stopped ??= registry.stop().then(() => rm(pkiDir, { recursive: true, force: true }));
        return stopped;
      },
    };
  } catch (error) {
    await rm(pkiDir, { recursive: true, force: true });
    throw error;
  }
}
