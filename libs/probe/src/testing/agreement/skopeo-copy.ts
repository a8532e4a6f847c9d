import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBounded } from '@mirrorwatch/lab';
import { outputLines, stableText, type ClientOutcome } from './client-outcome.js';

export interface SkopeoCopyRequest {
  skopeoPath: string;
  /** Mirror as host:port, addressed directly as the registry. */
  host: string;
  /** https mirror: verification stays on and trusts this CA when given. */
  tls: boolean;
  caPath: string | null;
  repository: string;
  reference: string;
  /** A fresh directory this copy may fill. */
  workDir: string;
  timeoutMs: number;
}

export interface SkopeoCopyOutcome extends ClientOutcome {
  /** sha256 of the image manifest skopeo wrote (the linux/amd64 one), when it succeeded. */
  manifestDigest: string | null;
}

/** skopeo logs failures as `level=fatal msg="..."`; the message is what the user reads. */
function skopeoReason(stderr: string): string | null {
  const lines = outputLines(stderr);
  const fatal = [...lines].reverse().find((line) => line.includes('level=fatal'));
  const line = fatal ?? lines.at(-1);
  if (!line) return null;
  const message = /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replace(/\\"/g, '"') ?? line;
  return stableText(message);
}

/**
 * `skopeo copy docker://MIRROR/REPO:REF dir:...` for linux/amd64, the way a
 * containers/image user (podman, CRI-O, skopeo) pulls: TLS verified against
 * the mirror's CA (`--src-cert-dir` holding ca.crt), plain http only for http
 * mirrors, anonymous, no registries.conf of this machine. Its own
 * `--command-timeout` ends it just before our outer deadline would.
 */
export async function skopeoCopy(request: SkopeoCopyRequest): Promise<SkopeoCopyOutcome> {
  const { workDir } = request;
  await mkdir(workDir, { recursive: true });
  const registriesConf = join(workDir, 'registries.conf');
  await writeFile(registriesConf, '');
  const tlsArgs: string[] = [];
  if (!request.tls) tlsArgs.push('--src-tls-verify=false');
  else if (request.caPath) {
    const certDir = join(workDir, 'certs');
    await mkdir(certDir, { recursive: true });
    await copyFile(request.caPath, join(certDir, 'ca.crt'));
    tlsArgs.push('--src-cert-dir', certDir);
  }
  const imageDir = join(workDir, 'image');
  const commandTimeout = `${Math.max(1, Math.floor(request.timeoutMs / 1000) - 1)}s`;
  const run = await runBounded(
    request.skopeoPath,
    [
      '--command-timeout',
      commandTimeout,
      '--insecure-policy',
      '--tmpdir',
      workDir,
      'copy',
      '--src-no-creds',
      ...tlsArgs,
      '--override-os',
      'linux',
      '--override-arch',
      'amd64',
      `docker://${request.host}/${request.repository}:${request.reference}`,
      `dir:${imageDir}`,
    ],
    { timeoutMs: request.timeoutMs, env: { CONTAINERS_REGISTRIES_CONF: registriesConf } },
  );
  const usable = run.code === 0 && !run.killed;
  const manifestDigest = usable
    ? `sha256:${createHash('sha256')
        .update(await readFile(join(imageDir, 'manifest.json')))
        .digest('hex')}`
    : null;
  return {
    usable,
    exitCode: run.code,
    killed: run.killed,
    durationMs: run.durationMs,
    reason: usable ? null : run.killed ? `killed after ${request.timeoutMs / 1000} s` : skopeoReason(run.stderr),
    manifestDigest,
  };
}
