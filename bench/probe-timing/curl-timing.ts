import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CurlTiming {
  dnsMs: number;
  connectMs: number;
  tlsMs: number | null;
  ttfbMs: number;
  bytes: number;
  /** Bytes per second from the first body byte to the last, as the engine measures it. */
  transferBytesPerSec: number | null;
}

const FORMAT = '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total} %{size_download}';

/**
 * curl's -w times are cumulative from the start of the transfer; the engine's
 * are per phase, so convert: connect = time_connect - time_namelookup, and so on.
 */
export async function curlTiming(url: string, caFile: string | null): Promise<CurlTiming> {
  // The URL twice in one curl process, reporting the second transfer: the first pays
  // curl's one-time start-up (OpenSSL init, CA file load), which a long-running engine
  // does not. `Connection: close` and --no-sessionid force a fresh TCP and full TLS handshake.
  const perTransfer = ['-s', '-o', '/dev/null', '--http1.1', '--no-sessionid', '-H', 'Connection: close', '-w', `${FORMAT}\\n`];
  const args = [
    ...perTransfer,
    ...(caFile ? ['--cacert', caFile] : []),
    url,
    '--next',
    ...perTransfer,
    ...(caFile ? ['--cacert', caFile] : []),
    url,
  ];
  const { stdout } = await run('curl', args);
  const second = stdout.trim().split('\n').at(-1) ?? '';
  const [lookup, connect, appconnect, starttransfer, total, size] = second.trim().split(' ').map(Number) as number[];
  const https = url.startsWith('https:');
  const ready = https ? appconnect! : connect!;
  const transfer = total! - starttransfer!;
  return {
    dnsMs: lookup! * 1000,
    connectMs: (connect! - lookup!) * 1000,
    tlsMs: https ? (appconnect! - connect!) * 1000 : null,
    ttfbMs: (starttransfer! - ready) * 1000,
    bytes: size!,
    transferBytesPerSec: transfer > 0 ? size! / transfer : null,
  };
}
