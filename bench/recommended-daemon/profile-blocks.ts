/**
 * The long synchronous stretches of one thread in a V8 .cpuprofile: runs of
 * samples with no `(idle)` between them, each with the functions that held
 * it (inclusive time, a function counted once per stack) and the event-loop
 * entry it ran under. A block is what delays every request queued behind it,
 * so the longest ones are the server's p99.
 */
import type { CpuProfile } from '../probe-cpu/profile-summary.js';

type ProfileNode = CpuProfile['nodes'][number];

export interface Block {
  /** From the profile's start. */
  startMs: number;
  durationMs: number;
  /** Inclusive ms per function in the block, heaviest first. */
  functions: Array<[name: string, ms: number]>;
}

function shortName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(apps|libs|prisma)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Stretches of at least `minMs` without an idle sample, longest first. */
export function longBlocks(profile: CpuProfile, minMs: number, top = 12): Block[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const blocks: Block[] = [];
  let at = 0;
  let start = -1;
  let startMs = 0;
  const close = (end: number, endMs: number) => {
    if (start < 0) return;
    const durationMs = endMs - startMs;
    if (durationMs >= minMs) blocks.push({ startMs, durationMs, functions: inclusive(profile, byId, parent, start, end) });
    start = -1;
  };
  for (let index = 0; index < profile.samples.length; index++) {
    at += (profile.timeDeltas[index] ?? 0) / 1000;
    const idle = byId.get(profile.samples[index] as number)?.callFrame.functionName === '(idle)';
    if (idle) close(index, at);
    else if (start < 0) {
      start = index;
      startMs = at;
    }
  }
  close(profile.samples.length, at);
  return blocks.sort((a, b) => b.durationMs - a.durationMs).slice(0, top);
}

function inclusive(
  profile: CpuProfile,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
  from: number,
  to: number,
): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (let index = from; index < to; index++) {
    // A sample's time is the delta that follows it (V8 records the gap before the next sample).
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[index]; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === '(root)') continue;
      const name = shortName(node);
      if (seen.has(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + ms);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/**
 * A block as a few lines: its time, the heaviest functions (skipping the
 * frames every block shares), then the heaviest of our own (the bundle's):
 * work resumed from a promise has only the frames since it resumed, so the
 * caller that awaited a query shows up among these, not at the top.
 */
export function describeBlock(block: Block, lines = 12, ownLines = 12): string {
  const row = ([name, ms]: [string, number]) => `    ${ms.toFixed(0).padStart(5)} ms  ${name}`;
  const rows = block.functions.filter(([name]) => !/^(\(program\)|processTicksAndRejections|listOnTimeout|processTimers) /.test(name));
  const own = block.functions.filter(([name]) => / (apps|libs)\//.test(name));
  return [
    `  block at ${(block.startMs / 1000).toFixed(2)} s: ${block.durationMs.toFixed(0)} ms`,
    ...rows.slice(0, lines).map(row),
    '    -- our code in it:',
    ...own.slice(0, ownLines).map(row),
  ].join('\n');
}
