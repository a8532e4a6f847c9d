/**
 * Cost of one rate-limit check in the storage behind @nestjs/throttler: the
 * library's ThrottlerStorageService (one expiry per request, filtered on
 * every hit) against our TokenBucketStorage (O(1)), at the product's tier
 * limits, one client hammering (the worst case: a full window of hits).
 * Usage: npm run bench:rate-limit-storage [-- --calls 200000]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { TokenBucketStorage } from '../../apps/api/src/infrastructure/rate-limit/token-bucket-storage.js';

const { values } = parseArgs({
  options: { calls: { type: 'string', default: '200000' }, out: { type: 'string', default: 'docs/benchmarks/rate-limit-storage.md' } },
});
const calls = Number(values.calls);
const TTL = 60_000;

interface Storage {
  increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<unknown>;
}

async function nsPerCall(storage: Storage, limit: number): Promise<number> {
  // Warm up to a full window, as a client at the limit would.
  for (let i = 0; i < Math.min(limit, 20_000); i++) await storage.increment('client', TTL, limit, TTL, 'export');
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await storage.increment('client', TTL, limit, TTL, 'export');
  return Number(process.hrtime.bigint() - started) / calls;
}

const rows: string[] = [];
for (const limit of [30, 600, 12_000]) {
  const library = new ThrottlerStorageService();
  const ours = new TokenBucketStorage();
  const libraryNs = await nsPerCall(library, limit);
  const oursNs = await nsPerCall(ours, limit);
  library.onApplicationShutdown();
  rows.push(`| ${limit} | ${(libraryNs / 1000).toFixed(2)} µs | ${(oursNs / 1000).toFixed(2)} µs | ${(libraryNs / oursNs).toFixed(1)}× |`);
}
const report = [
  '# Rate-limit storage: cost per check',
  '',
  `Produced by \`npm run bench:rate-limit-storage -- --calls ${calls}\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}.`,
  "One client at its limit (a full window of hits stored first), then `increment` timed over the calls; the reference is @nestjs/throttler's own in-memory storage measured in the same run.",
  '',
  '| limit per minute | ThrottlerStorageService (library) | TokenBucketStorage (ours) | library / ours |',
  '|---|---|---|---|',
  ...rows,
  '',
];
writeFileSync(values.out, report.join('\n'));
console.log(report.join('\n'));
