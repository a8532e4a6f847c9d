/**
 * What this machine charges for two things a monitor does around its work: a page first touched and a
 * system call (issue 10). The CPU rows of the other
 * benches (bench:probe-cpu above all) moved by a factor of two between two 2-vCPU VMs of the same kind
 * while their references moved by a quarter; these figures tell such machines apart, so a reader can
 * see which kind a run was on. Each figure is printed beside its reference measured in the same run:
 *  - a page fault: zero-filled buffers beyond glibc's mmap threshold are mapped fresh, so filling one
 *    faults each page in; the reference is the same fill of a buffer whose pages are already in;
 *  - a system call: `process.getuid()` (one getuid(2), which glibc does not cache), beside the same
 *    number of calls to a JavaScript function doing nothing.
 * (Work right after a timer sleep was tried too and left out: V8's memory reducer collects during the
 * sleeps, so the figure read the collector, not the machine.)
 * Process CPU time (process.cpuUsage) and minor faults (process.resourceUsage) only; no timed test.
 * Usage: npm run bench:machine [-- --rounds 5]
 */
import { cpus, loadavg, release } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');

const PAGE_BYTES = 4096;
/** Large enough that glibc maps it on its own (above any mmap threshold it adapts to) and unmaps it when freed. */
const FRESH_BUFFER_BYTES = 64 * 1024 * 1024;
const SYSCALLS = 200_000;

const cpuMsOf = (run: () => void): number => {
  const before = process.cpuUsage();
  run();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000;
};

/** µs of CPU per page: filling fresh buffers (each page faulted in) and refilling one already in. */
function pageFaults(): { freshUs: number; residentUs: number; faultsPerPage: number } {
  const pages = FRESH_BUFFER_BYTES / PAGE_BYTES;
  const faultsBefore = process.resourceUsage().minorPageFault;
  let kept: Buffer | null = null;
  const freshMs = cpuMsOf(() => {
    for (let i = 0; i < 4; i++) {
      kept = Buffer.allocUnsafeSlow(FRESH_BUFFER_BYTES);
      kept.fill(i + 1);
    }
  });
  const faults = process.resourceUsage().minorPageFault - faultsBefore;
  const resident = kept as unknown as Buffer;
  const residentMs = cpuMsOf(() => {
    for (let i = 0; i < 4; i++) resident.fill(i + 7);
  });
  return { freshUs: (freshMs * 1000) / (4 * pages), residentUs: (residentMs * 1000) / (4 * pages), faultsPerPage: faults / (4 * pages) };
}

function systemCalls(): { syscallUs: number; jsCallUs: number } {
  const getuid = process.getuid;
  if (getuid === undefined) throw new Error('process.getuid is missing: this bench runs on Linux');
  let sink = 0;
  const syscallMs = cpuMsOf(() => {
    for (let i = 0; i < SYSCALLS; i++) sink += getuid();
  });
  const nothing = (n: number) => n + 1;
  const jsMs = cpuMsOf(() => {
    for (let i = 0; i < SYSCALLS; i++) sink = nothing(sink);
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return { syscallUs: (syscallMs * 1000) / SYSCALLS, jsCallUs: (jsMs * 1000) / SYSCALLS };
}

console.log(`# Machine costs, ${new Date().toISOString().slice(0, 16)} UTC`);
console.log(
  `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, Linux ${release()}, Node ${process.version}; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}; ${rounds} rounds\n`,
);
console.log(
  '| round | a page fault, µs of CPU (faults per page filled) | filling a page already in, µs | a system call, µs | a JavaScript call, µs |',
);
console.log('|---:|---:|---:|---:|---:|');
for (let round = 1; round <= rounds; round++) {
  const faults = pageFaults();
  const calls = systemCalls();
  const perPage = (faults.freshUs - faults.residentUs) / Math.max(faults.faultsPerPage, 1e-9);
  console.log(
    `| ${round} | ${perPage.toFixed(2)} (${faults.faultsPerPage.toFixed(2)}) | ${faults.residentUs.toFixed(3)} | ${calls.syscallUs.toFixed(2)} | ${calls.jsCallUs.toFixed(3)} |`,
  );
}
