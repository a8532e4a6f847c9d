import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * One GET returning only the status; used for readiness checks. node:http(s)
 * rather than fetch because readiness of a TLS registry must be checked with
 * its private CA, which fetch cannot take without an extra dispatcher.
 */
export function httpGetStatus(url: string, { ca, timeoutMs = 2_000 }: { ca?: string; timeoutMs?: number } = {}): Promise<number> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'GET', ca, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
