import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process, all its threads, in ms (fields 14 and 15 of /proc/PID/stat). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
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
