import { setFlagsFromString } from 'node:v8';

/**
 * Stops V8 from giving the young generation's spare half back to the kernel
 * after every collection, in every isolate of this process (the API thread,
 * the probe engine, the rollup pass).
 *
 * V8 (11.3, Node 20) shrinks the new space at the end of a collection while
 * an isolate allocates slowly (under ~1 MB a second: a monitor probing 50
 * mirrors every 20 s always does), and a shrink decommits the from-space's
 * pages. With `--optimize-for-size` (npm start) that is 1 MiB, four 256 KiB
 * pages, and the next scavenge faults it back in page by page: `--trace-unmapper`
 * printed four chunks freed at every scavenge of both isolates, and the process
 * took 223 minor page faults a second. On a VM that charges ~13 µs a fault
 * (docs/benchmarks/machine.md) that was about an eighth of the product's CPU.
 *
 * V8 skips the shrink only in its "predictable" mode. Set here, after V8 has
 * started, the flag does not bring its start-up implications (a fixed random
 * seed, hence a fixed string-hash seed, which a public service must not have;
 * no background compiler or marker): those are applied once, at
 * initialisation (checked: the seed stays random, TurboFan still compiles
 * concurrently). What changes is what V8 reads while it runs: the shrink, and
 * incremental marking steps bounded by bytes but no longer by time (--trace-gc:
 * biggest steps 0.9-2.6 ms against 0.2). Measured side by side
 * (docs/benchmarks/probe-cpu.md, sixteenth pass): 34 faults a second against
 * 223, and a quarter less CPU (5,220 ms against 6,910 over the same 300 s).
 *
 * Only where collections run on the isolate's own thread (`--single-threaded-gc`, as `npm start` and
 * the image run node): with V8's background marker on, a collection that finishes after the flag changed
 * can stop the process on a failed check in Oilpan's marker (seen in a plain `node` within seconds).
 * Elsewhere this leaves V8 as it is and says so. Called first at start-up.
 */
export function keepYoungGenerationCommitted(execArgv: readonly string[] = process.execArgv): boolean {
  if (!collectsOnOwnThread(execArgv)) return false;
  setFlagsFromString('--predictable');
  return true;
}

/** V8 reads `-` and `_` alike in its flag names and takes the last of a repeated flag; `--single-threaded` implies the GC one. */
const SINGLE_THREADED_GC = /^--(no[-_])?single[-_]threaded(?:[-_]gc)?$/;

function collectsOnOwnThread(execArgv: readonly string[]): boolean {
  let singleThreaded = false;
  for (const flag of execArgv) {
    const match = SINGLE_THREADED_GC.exec(flag);
    if (match) singleThreaded = match[1] === undefined;
  }
  return singleThreaded;
}
