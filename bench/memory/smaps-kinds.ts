import { readFileSync, readlinkSync } from 'node:fs';

/** One mapping of /proc/PID/smaps: address range, permissions, backing path and resident KiB. */
interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
  rssKiB: number;
}

function parseSmaps(pid: number): Mapping[] {
  const mappings: Mapping[] = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      mappings.push({
        start: BigInt(`0x${header[1]}`),
        end: BigInt(`0x${header[2]}`),
        perms: header[3] as string,
        path: header[4] ?? '',
        rssKiB: 0,
      });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    const last = mappings[mappings.length - 1];
    if (rss && last) last.rssKiB = Number(rss[1]);
  }
  return mappings;
}

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;
/** glibc's non-main malloc arenas ("heaps") are 64 MiB reservations aligned to 64 MiB (HEAP_MAX_SIZE on 64-bit). */
const GLIBC_HEAP_SPAN = 64n * MiB;

/** V8's regular heap pages on x64 without pointer compression (Node 20): one 256 KiB mapping each. */
const V8_PAGE = 256n * 1024n;

/**
 * Resident memory of a process by kind, from its smaps. Anonymous mappings
 * carry no name, so they are told apart by shape: a glibc thread arena is a
 * 64 MiB-aligned reservation of 64 MiB (its used part read-write, the rest
 * PROT_NONE); a WebAssembly memory a reservation of several GiB with guard
 * regions (V8 on x64), told by the merged span of adjacent mappings; V8's
 * regular heap pages are 256 KiB mappings, its code pages executable ones.
 * What is left is V8's large-object pages, malloc's large blocks (mmapped
 * one by one above the mmap threshold) and thread stacks, which smaps
 * cannot tell apart.
 */
export function residentByKind(pid: number): Map<string, number> {
  const node = readlinkSync(`/proc/${pid}/exe`);
  const kinds = new Map<string, number>();
  const add = (kind: string, kiB: number) => kinds.set(kind, (kinds.get(kind) ?? 0) + kiB / 1024);
  const mappings = parseSmaps(pid);
  const anonymous: Mapping[][] = [];
  for (const [index, mapping] of mappings.entries()) {
    if (mapping.path === node) add('file: the node binary', mapping.rssKiB);
    else if (mapping.path.endsWith('.node')) add('file: native addons (better-sqlite3)', mapping.rssKiB);
    else if (/\.so(\.|$)/.test(mapping.path)) add('file: shared libraries', mapping.rssKiB);
    else if (mapping.path.startsWith('/')) add('file: other mapped files', mapping.rssKiB);
    else if (mapping.path === '[heap]') add('anon: glibc main arena (brk)', mapping.rssKiB);
    else if (mapping.path.startsWith('[')) add(`anon: ${mapping.path}`, mapping.rssKiB);
    else if (isArenaStart(mapping, mappings[index + 1])) add('anon: glibc thread arenas', mapping.rssKiB);
    else {
      const region = anonymous[anonymous.length - 1];
      const previous = region?.[region.length - 1];
      if (region && previous && previous.end === mapping.start) region.push(mapping);
      else anonymous.push([mapping]);
    }
  }
  for (const region of anonymous) {
    const span = (region[region.length - 1]?.end ?? 0n) - (region[0]?.start ?? 0n);
    if (span >= 4n * GiB) {
      add(
        'anon: WebAssembly memories (Prisma query compilers)',
        region.reduce((sum, mapping) => sum + mapping.rssKiB, 0),
      );
      continue;
    }
    for (const mapping of region) {
      if (mapping.perms.includes('x')) add('anon: V8 code pages (executable)', mapping.rssKiB);
      else if (mapping.end - mapping.start === V8_PAGE) add('anon: V8 heap pages (256 KiB)', mapping.rssKiB);
      else add('anon: other (V8 large objects, large malloc blocks, thread stacks)', mapping.rssKiB);
    }
  }
  return kinds;
}

/** The used part of a glibc thread arena: starts on a 64 MiB boundary and, with its PROT_NONE rest, spans 64 MiB. */
function isArenaStart(mapping: Mapping, next: Mapping | undefined): boolean {
  if (mapping.start % GLIBC_HEAP_SPAN !== 0n || !mapping.perms.startsWith('rw')) return false;
  if (mapping.end - mapping.start === GLIBC_HEAP_SPAN) return true;
  return next !== undefined && next.start === mapping.end && next.perms.startsWith('---') && next.end - mapping.start === GLIBC_HEAP_SPAN;
}
