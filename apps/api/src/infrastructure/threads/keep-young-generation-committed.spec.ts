import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keepYoungGenerationCommitted } from './keep-young-generation-committed.js';

const run = promisify(execFile);
/** The build of this module (npm test builds first), imported by a process of its own: V8's flags are per process. */
const BUILT_MODULE = fileURLToPath(new URL('../../../dist/infrastructure/threads/keep-young-generation-committed.js', import.meta.url));

/** What a process started after the call sees: a new isolate's first Math.random() (seeded like its hash seed) and how TurboFan compiles. */
const SCRIPT = `
import { Worker } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
if (process.env.CALL === '1') (await import(process.env.MODULE)).keepYoungGenerationCommitted();
const workerRandom = await new Promise((resolve) => {
  const worker = new Worker('require("node:worker_threads").parentPort.postMessage(Math.random())', { eval: true, execArgv: [] });
  worker.once('message', (value) => { resolve(value); void worker.terminate(); });
});
setFlagsFromString('--trace-opt');
function hot(x) { let sum = 0; for (let i = 0; i < 100; i++) sum += i * x; return sum; }
let total = 0;
for (let i = 0; i < 300000; i++) total += hot(i);
await new Promise((resolve) => setTimeout(resolve, 50));
for (let i = 0; i < 300000; i++) total += hot(i);
console.log(JSON.stringify({ workerRandom, total }));
`;

interface Seen {
  workerRandom: number;
  concurrentCompile: boolean;
  synchronousCompile: boolean;
}

async function startProcess(how: 'after start' | 'on the command line'): Promise<Seen> {
  // As npm start runs node: the call applies only with collections on the isolate's own thread.
  const flags = ['--single-threaded-gc', ...(how === 'on the command line' ? ['--predictable'] : [])];
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', SCRIPT], {
    env: { ...process.env, CALL: how === 'after start' ? '1' : '0', MODULE: BUILT_MODULE },
    maxBuffer: 16 * 1024 * 1024,
  });
  const compiles = stdout.split('\n').filter((line) => line.includes('[compiling method') && line.includes('<JSFunction hot'));
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { workerRandom: number };
  return {
    workerRandom: result.workerRandom,
    concurrentCompile: compiles.some((line) => line.includes('kConcurrent')),
    synchronousCompile: compiles.some((line) => line.includes('kSynchronous')),
  };
}

describe('keepYoungGenerationCommitted', () => {
  it("changes nothing where V8's background marker runs (a collection in flight could fail a check)", () => {
    expect(keepYoungGenerationCommitted(['--optimize-for-size'])).toBe(false);
    expect(keepYoungGenerationCommitted(['--single-threaded-gc-extra'])).toBe(false);
    // V8 takes the last of a repeated flag: the background marker is back on.
    expect(keepYoungGenerationCommitted(['--single-threaded-gc', '--no-single-threaded-gc'])).toBe(false);
    expect(keepYoungGenerationCommitted(['--single_threaded_gc', '--no_single_threaded_gc'])).toBe(false);
  });

  it('applies under --single-threaded-gc in either spelling, and under --single-threaded', async () => {
    for (const flag of ['--single-threaded-gc', '--single_threaded_gc', '--single-threaded']) {
      const { stdout } = await run(process.execPath, [
        flag,
        '--input-type=module',
        '-e',
        `console.log((await import(${JSON.stringify(BUILT_MODULE)})).keepYoungGenerationCommitted())`,
      ]);
      expect(stdout.trim()).toBe('true');
    }
  });

  it("leaves V8's random seeds random: isolates started after it differ from run to run, unlike with --predictable at start", async () => {
    const [first, second] = await Promise.all([startProcess('after start'), startProcess('after start')]);
    expect(first.workerRandom).not.toBe(second.workerRandom);
    // The check can fail: with the flag given at start, V8 fixes its seed and both runs draw the same number.
    const [fixedA, fixedB] = await Promise.all([startProcess('on the command line'), startProcess('on the command line')]);
    expect(fixedA.workerRandom).toBe(fixedB.workerRandom);
  });

  it('leaves TurboFan compiling in the background, unlike with --predictable at start', async () => {
    const after = await startProcess('after start');
    expect(after.concurrentCompile).toBe(true);
    expect(after.synchronousCompile).toBe(false);
    const atStart = await startProcess('on the command line');
    expect(atStart.synchronousCompile).toBe(true);
  });
});
