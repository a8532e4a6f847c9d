/**
 * The benchmark's mirror runs in its own process so neither the engine nor
 * curl shares an event loop with it; prints its URLs as one JSON line.
 */
import { parseArgs } from 'node:util';
import { startBenchServer } from './bench-server.js';

const { values } = parseArgs({
  options: {
    'delay-ms': { type: 'string' },
    'blob-rate': { type: 'string' },
    key: { type: 'string' },
    cert: { type: 'string' },
  },
});
const { readFileSync } = await import('node:fs');
const tls = values.key && values.cert ? { key: readFileSync(values.key, 'utf8'), cert: readFileSync(values.cert, 'utf8') } : undefined;
const bench = await startBenchServer({
  pingDelayMs: Number(values['delay-ms']),
  blobBytesPerSec: Number(values['blob-rate']),
  ...(tls ? { tls } : {}),
});
process.stdout.write(`${JSON.stringify({ url: bench.server.url, layerUrl: bench.layerUrl })}\n`);
process.on('SIGTERM', () => void bench.server.close().then(() => process.exit(0)));
