import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  caPem: string;
  /** Server certificate for 127.0.0.1 and localhost, signed by the CA. */
  serverKey: string;
  serverCert: string;
  /** Self-signed certificate for 127.0.0.1 that no CA vouches for. */
  selfSignedKey: string;
  selfSignedCert: string;
  /** Signed by the CA but for another host name only. */
  wrongHostKey: string;
  wrongHostCert: string;
}

/** Generates a throwaway private CA and server certificates with the openssl CLI (EC keys: fast). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'mirrorwatch-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=mirrorwatch test CA');
    const issue = (name: string, san: string) => {
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      openssl('req', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '3650',
        '-extfile',
        `${name}.ext`,
      );
    };
    issue('server', 'IP:127.0.0.1,DNS:localhost');
    issue('wronghost', 'DNS:mirror.example.com');
    openssl(
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-days',
      '3650',
      '-subj',
      '/CN=self',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    );
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    return {
      caPem: read('ca.pem'),
      serverKey: read('server.key'),
      serverCert: read('server.pem'),
      selfSignedKey: read('self.key'),
      selfSignedCert: read('self.pem'),
      wrongHostKey: read('wronghost.key'),
      wrongHostCert: read('wronghost.pem'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
