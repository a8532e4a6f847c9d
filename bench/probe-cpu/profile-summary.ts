/** Reads a V8 .cpuprofile (as --cpu-prof writes it) into the few tables bench:probe-cpu:profile prints. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code comes from, first match wins (self time is grouped by it). */
const ORIGINS: readonly [string, (url: string, name: string) => boolean][] = [
  ['(idle)', (_url, name) => name === '(idle)'],
  ['(garbage collector)', (_url, name) => name === '(garbage collector)'],
  ['(program)', (_url, name) => name === '(program)'],
  ['Prisma WASM (query compiler)', (url) => url.startsWith('wasm://')],
  ['Prisma generated client/runtime', (url) => url.includes('/prisma/generated/') || url.includes('@prisma/client')],
  ['Prisma driver adapter', (url) => url.includes('@prisma/adapter') || url.includes('@prisma/driver-adapter')],
  ['better-sqlite3', (url) => url.includes('better-sqlite3')],
  ['pino / logging', (url) => url.includes('/pino') || url.includes('sonic-boom') || url.includes('nestjs-pino')],
  ['Nest', (url) => url.includes('@nestjs/')],
  ['undici', (url) => url.includes('undici')],
  ['express / http libs', (url) => /node_modules\/(express|router|body-parser|send|finalhandler|path-to-regexp)/.test(url)],
  ['other node_modules', (url) => url.includes('node_modules')],
  ['mirrorwatch libs', (url) => url.includes('/libs/')],
  ['mirrorwatch api', (url) => url.includes('/apps/api/')],
  ['node internals', (url) => url.startsWith('node:') || url === ''],
];

function originOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  return ORIGINS.find(([, matches]) => matches(url, functionName))?.[0] ?? 'elsewhere';
}

function shortName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(apps|libs|prisma)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/**
 * Self ms per node, from the sample stream (hitCount is not always filled), and each node's parent.
 * Samples in the first `skipMs` (start-up: module loading, migrations) are left out.
 */
function timesOf(profile: CpuProfile, skipMs: number): { self: Map<number, number>; parent: Map<number, number> } {
  const self = new Map<number, number>();
  let elapsedMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    elapsedMs += ms;
    if (elapsedMs >= skipMs) self.set(id, (self.get(id) ?? 0) + ms);
  });
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  return { self, parent };
}

function table(title: string, rows: readonly [string, number][], allMs: number): string {
  const lines = rows.map(([name, ms]) => `| ${name} | ${ms.toFixed(0)} | ${((ms / allMs) * 100).toFixed(1)} % |`);
  return [`| ${title} | ms | share of busy |`, '|---|---:|---:|', ...lines].join('\n');
}

/** Self time by origin, the heaviest functions, and inclusive time of our own functions (counted once per stack). */
export function summarizeProfile(profile: CpuProfile, top: number, skipMs = 0): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const { self, parent } = timesOf(profile, skipMs);
  const busyMs = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
  const origins = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    origins.set(originOf(node), (origins.get(originOf(node)) ?? 0) + ms);
    functions.set(shortName(node), (functions.get(shortName(node)) ?? 0) + ms);
  }
  // Inclusive time of our own code, a function counted once per stack even when it recurses.
  const ours = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node || !/\/(apps\/api|libs\/[^/]+)\/dist\//.test(node.callFrame.url)) continue;
      const name = shortName(node);
      if (seen.has(name)) continue;
      seen.add(name);
      ours.set(name, (ours.get(name) ?? 0) + ms);
    }
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  return [
    `profiled ${(wallMs / 1000).toFixed(0)} s of wall time${skipMs > 0 ? ` (the first ${(skipMs / 1000).toFixed(0)} s left out)` : ''}, ${busyMs.toFixed(0)} ms busy`,
    '',
    table('self time by origin', sorted(origins), busyMs),
    '',
    table('heaviest functions (self)', sorted(functions).slice(0, top), busyMs),
    '',
    table('our functions (inclusive)', sorted(ours).slice(0, top), busyMs),
  ].join('\n');
}
