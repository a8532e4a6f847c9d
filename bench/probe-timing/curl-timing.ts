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
 *
 * `transfers: 2` (the default) asks for the URL twice in one curl process and
 * reports the second transfer: the first pays curl's one-time start-up
 * (OpenSSL init, CA file load), which a long-running engine does not. It also
 * warms the server: the second request reaches a server that answered one a
 * millisecond ago, while a probe's first request reaches it after seconds of
 * quiet. `transfers: 1` reports a lone transfer, the like-for-like reference
 * for a plain-http mirror's first byte (no TLS start-up to leave out).
 */
export async function curlTiming(url: string, caFile: string | null, options: { transfers?: 1 | 2 } = {}): Promise<CurlTiming> {
  // `Connection: close` and --no-sessionid force a fresh TCP and full TLS handshake.
  const perTransfer = ['-s', '-o', '/dev/null', '--http1.1', '--no-sessionid', '-H', 'Connection: close', '-w', `${FORMAT}\\n`];
  const oneTransfer = [...perTransfer, ...(caFile ? ['--cacert', caFile] : []), url];
  const args = options.transfers === 1 ? oneTransfer : [...oneTransfer, '--next', ...oneTransfer];
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
