/**
 * Preloaded into the product by `bench:history --stall-trace FILE` (node
 * --import): appends one JSON line to FILE for every stretch over 45 ms in
 * which the API thread's event loop did not turn, with what it was doing:
 * on-CPU, waiting for a core (runnable) and blocked (I/O, locks), from the
 * thread's /proc schedstat, and the SQLite statements and GC pauses that
 * ended inside it. Combine with --cpu-prof for the JavaScript that ran.
 * Linux only; a diagnostic, never loaded by the product itself.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const out = process.env.MIRRORWATCH_STALL_TRACE_FILE;
if (!out) throw new Error('stall-trace.mjs needs MIRRORWATCH_STALL_TRACE_FILE');
const STALL_MS = 45;
const TICK_MS = 5;
/** Statements and GC pauses shorter than this are not worth naming. */
const NOTABLE_MS = 8;

const recent = [];
const remember = (entry) => {
  recent.push(entry);
  if (recent.length > 500) recent.shift();
};

// Every statement of better-sqlite3 (the driver under Prisma's adapter) is timed where it runs.
const Database = createRequire(import.meta.url)('better-sqlite3');
const scratch = new Database(':memory:');
const Statement = Object.getPrototypeOf(scratch.prepare('select 1'));
scratch.close();
for (const method of ['run', 'all', 'get']) {
  const original = Statement[method];
  Statement[method] = function timed(...args) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const ms = performance.now() - started;
      if (ms > NOTABLE_MS)
        remember({ kind: 'sql', sql: this.source.replace(/\s+/g, ' ').slice(0, 160), ms: Math.round(ms), end: started + ms });
    }
  };
}
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (entry.duration > NOTABLE_MS)
      remember({ kind: 'gc', ms: Math.round(entry.duration), end: entry.startTime + entry.duration, gcKind: entry.detail?.kind });
}).observe({ entryTypes: ['gc'] });

/** The main thread's nanoseconds on a CPU and waiting for one (runnable). */
const schedstat = () => readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
let lastSched = schedstat();
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const stallMs = now - last;
  const sched = schedstat();
  const cpuMs = (sched[0] - lastSched[0]) / 1e6;
  const runnableMs = (sched[1] - lastSched[1]) / 1e6;
  last = now;
  lastSched = sched;
  if (stallMs < STALL_MS) return;
  const inside = recent
    .filter((entry) => entry.end >= now - stallMs - TICK_MS && entry.end <= now + 1)
    .map(({ end: _end, ...entry }) => entry);
  const round = (ms) => Math.round(ms);
  const line = {
    atS: +(now / 1000).toFixed(2),
    stallMs: round(stallMs),
    cpuMs: round(cpuMs),
    runnableMs: round(runnableMs),
    blockedMs: round(stallMs - cpuMs - runnableMs),
    inside,
  };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
}, TICK_MS).unref();
