import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

interface CpuTimes {
  userMs: number;
  systemMs: number;
  /** cutime + cstime: the children this process has waited for (reaped), in ms. */
  reapedMs: number;
  /** When the thread started, in ticks since boot (field 22). */
  startedAt: number;
}

/** utime, stime, cutime + cstime in ms from a /proc stat line (fields 14 to 17), and the start time (field 22). */
/** The fields of a /proc stat line after the command name (which may hold spaces): index 0 is field 3, the state. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function statTimes(stat: string): CpuTimes {
  const fields = statFields(stat);
  const ms = (index: number) => (Number(fields[index]) * 1000) / CLOCK_TICKS_PER_SECOND;
  return { userMs: ms(11), systemMs: ms(12), reapedMs: ms(13) + ms(14), startedAt: Number(fields[19]) };
}

/** utime + stime of one process (all its threads) and cutime + cstime (the children it has reaped), in ms. */
function ownCpuMs(pid: number): number {
  try {
    const { userMs, systemMs, reapedMs } = statTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return userMs + systemMs + reapedMs;
  } catch {
    return 0; // A child that ended between listing and reading: its parent's cutime has it once reaped.
  }
}

/**
 * CPU time in ms of a process, all its threads, and every process it started: those still running and
 * those that ended (once reaped, the kernel adds them to the parent's cutime/cstime). Work moved into a
 * child process (the dashboard's) stays in the figure, as it does in residentMiB.
 */
export function cpuMs(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, each) => sum + ownCpuMs(each), 0);
}

/** utime and stime of each live thread of a process, by thread id (the main thread's id is the pid). */
export function threadCpuMs(pid: number): Map<number, CpuTimes> {
  const threads = new Map<number, CpuTimes>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(Number(tid), statTimes(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** Which threads spent a window's CPU (ms): the main (API) thread, the probe engine's, the rest together; and in the kernel. */
export interface ThreadSplit {
  mainMs: number;
  mainSystemMs: number;
  engineMs: number;
  engineSystemMs: number;
  restMs: number;
}

/**
 * Every thread of node is called "node" (Node 20 names none), so threads are told apart by role: the main
 * thread's id is the pid; the probe engine's worker thread is the one started last (on the first probe,
 * seconds after V8's platform threads and libuv's pool, which start with the process); the rest (V8's
 * platform threads: parallel and concurrent GC, background compilation; libuv's pool) are summed.
 */
export function splitThreads(before: Map<number, CpuTimes>, after: Map<number, CpuTimes>, pid: number): ThreadSplit {
  const spent = [...after].map(([tid, times]) => {
    const earlier = before.get(tid) ?? { userMs: 0, systemMs: 0, reapedMs: 0, startedAt: times.startedAt };
    const systemMs = times.systemMs - earlier.systemMs;
    return { tid, ms: times.userMs - earlier.userMs + systemMs, systemMs, startedAt: times.startedAt };
  });
  const main = spent.find(({ tid }) => tid === pid);
  const others = spent.filter(({ tid }) => tid !== pid).sort((a, b) => b.startedAt - a.startedAt || b.tid - a.tid);
  return {
    mainMs: main?.ms ?? 0,
    mainSystemMs: main?.systemMs ?? 0,
    engineMs: others[0]?.ms ?? 0,
    engineSystemMs: others[0]?.systemMs ?? 0,
    restMs: others.slice(1).reduce((sum, { ms }) => sum + ms, 0),
  };
}

/** minflt + cminflt of one process (fields 10 and 11 of /proc/PID/stat): its threads' and its reaped children's. */
function ownMinorFaults(pid: number): number {
  try {
    const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return Number(fields[7]) + Number(fields[8]);
  } catch {
    return 0;
  }
}

/**
 * Minor page faults of a process and every process it started: a first touch of memory the process
 * mapped or handed back (glibc's mmap'd allocations, V8's released pages). Counted because on a VM with
 * shadow page tables each costs microseconds of kernel time (docs/benchmarks/probe-cpu.md, fifteenth pass).
 */
export function minorFaults(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, each) => sum + ownMinorFaults(each), 0);
}

/** The processes `pid` started, and theirs (every thread's children, /proc/PID/task/TID/children). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      children = children.concat(readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function ownResidentMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return 0; // A child that ended between listing and reading holds nothing.
  }
}

/**
 * Resident memory of the process and of every process it started, summed: work moved into a child
 * process must not leave the figure (issue 10).
 */
export function residentMiB(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, each) => sum + ownResidentMiB(each), 0);
}
