import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openssl } from './openssl.js';

export interface PrivateCa {
  certPath: string;
  keyPath: string;
  certPem: string;
}

export interface ServerCertificate {
  certPath: string;
  keyPath: string;
}

const VALID_DAYS = '7';

/**
 * A private CA like the ones company mirrors use: clients must be given its
 * PEM (catalog `ca:`) or the TLS handshake fails verification.
 */
export async function createPrivateCa(dir: string, commonName = 'mirrorwatch lab CA'): Promise<PrivateCa> {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca.key');
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      VALID_DAYS,
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { certPath, keyPath, certPem: await readFile(certPath, 'utf8') };
}

/**
 * A leaf for 127.0.0.1 signed by the CA. Go (docker-registry) and Node check
 * the SAN, not the CN, so the IP goes into subjectAltName.
 */
export async function issueServerCertificate(ca: PrivateCa, dir: string, name: string): Promise<ServerCertificate> {
  const keyPath = join(dir, `${name}.key`);
  const csrPath = join(dir, `${name}.csr`);
  const certPath = join(dir, `${name}.pem`);
  const extPath = join(dir, `${name}.ext`);
  await writeFile(
    extPath,
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', '/CN=127.0.0.1'], dir);
  await openssl(
    [
      'x509',
      '-req',
      '-sha256',
      '-days',
      VALID_DAYS,
      '-in',
      csrPath,
      '-CA',
      ca.certPath,
      '-CAkey',
      ca.keyPath,
      '-CAcreateserial',
      '-out',
      certPath,
      '-extfile',
      extPath,
    ],
    dir,
  );
  return { certPath, keyPath };
}
