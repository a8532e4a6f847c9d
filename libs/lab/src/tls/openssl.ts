import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs the `openssl` CLI (Debian's openssl 3). Node can make keys but not
 * X.509 certificates, and the registry only trusts token signers and TLS peers
 * through certificates, so certificate work goes through openssl.
 */
export async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', [...args], { cwd, timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`openssl ${args[0] ?? ''} failed: ${message}\n${stderr}`);
  }
}

/** The DER bytes of the first certificate in a PEM file, base64 (the JWS `x5c` form, RFC 7515 §4.1.6). */
export function pemCertificateToBase64Der(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new Error('no PEM certificate found');
  return match[1].replace(/\s+/g, '');
}
