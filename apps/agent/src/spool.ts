import { appendFile, mkdir, open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readLines, readMeta, rewriteRanges, writeMeta } from './spool-file.js';

/** One spooled result: its serialized JSON (shipped as is) and its place in the queue. */
export interface SpoolEntry {
  seq: number;
  line: string;
}

interface WindowEntry extends SpoolEntry {
  /** Bytes in the file, newline included. */
  bytes: number;
}

export interface SpoolLoad {
  restored: number;
  /** A line cut short by a crash mid-write: it was never acknowledged, so nothing acknowledged is lost. */
  tornLines: number;
}

/** Entries kept in memory: two of the server's batches (100 results at most) and room for a cycle's appends. */
export const DEFAULT_SPOOL_WINDOW = 256;
/** The file is rewritten without its acknowledged prefix once that prefix is this large and at least half the file. */
const COMPACT_MIN_BYTES = 256 * 1024;

/**
 * A bounded, file-backed FIFO of results waiting for the server.
 *
 * Every result is appended here before it is shipped, and leaves only when
 * the server acknowledged it, so a crash or an outage loses nothing that was
 * written: replays after a crash are stored once by their ids. Past
 * `maxEntries` the oldest results are dropped and counted (`dropped`, kept in
 * a side file) rather than filling the disk during a long outage.
 *
 * Memory does not grow with the queue: the file (NDJSON) holds the queue from
 * byte `head` (kept in the side file) to its end, and memory holds only a
 * window, the first entries of the queue (file[head, readOffset)), read from
 * disk in chunks as the shipper asks for them. Results are appended to the
 * file; acknowledging or dropping moves `head` (one small atomic write of the
 * side file); once the dead prefix is large the file is rewritten without it
 * (temporary file + rename). One operation runs at a time.
 */
export class Spool {
  private window: WindowEntry[] = [];
  private headOffset = 0;
  /** End of the window in the file: the next entry to read into memory starts here. */
  private readOffset = 0;
  private fileSize = 0;
  private fileIno: number | null = null;
  private count = 0;
  private nextSeq = 0;
  private droppedCount = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly filePath: string,
    private readonly maxEntries: number,
    private readonly windowEntries = DEFAULT_SPOOL_WINDOW,
  ) {}

  /** Reads what a previous run left (counting it, not keeping it), and the drop counter. */
  load(): Promise<SpoolLoad> {
    return this.serial(() => this.loadNow());
  }

  get size(): number {
    return this.count;
  }

  /** Results dropped because the spool was full, over the spool's whole life. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Entries held in memory now (the rest are only on disk). */
  get inMemory(): number {
    return this.window.length;
  }

  /** Adds results at the tail and writes them out; resolves once they are on disk. */
  push(lines: readonly string[]): Promise<void> {
    return this.serial(async () => {
      if (lines.length === 0) return;
      const text = lines.map((line) => `${line}\n`).join('');
      await appendFile(this.filePath, text);
      // While the window reaches the end of the file, new results join it (no read back), up to its size.
      let contiguous = this.readOffset === this.fileSize;
      this.fileSize += Buffer.byteLength(text);
      this.count += lines.length;
      for (const line of lines) {
        if (contiguous && this.window.length < this.windowEntries) {
          const bytes = Buffer.byteLength(line) + 1;
          this.window.push({ seq: this.nextSeq++, line, bytes });
          this.readOffset += bytes;
        } else contiguous = false;
      }
      const excess = this.count - this.maxEntries;
      if (excess > 0) await this.removeOldest(excess, excess);
    });
  }

  /** The oldest `count` entries, left in place until `acknowledge`. */
  head(count: number): Promise<SpoolEntry[]> {
    return this.serial(async () => {
      await this.fill(count);
      return this.window.slice(0, count).map(({ seq, line }) => ({ seq, line }));
    });
  }

  /** Removes every entry up to and including `lastSeq` (those the server stored or refused for good). */
  acknowledge(lastSeq: number): Promise<void> {
    return this.serial(async () => {
      let acknowledged = 0;
      while (acknowledged < this.window.length && (this.window[acknowledged]?.seq ?? Infinity) <= lastSeq) acknowledged++;
      // None when the cap dropped them while their batch was out: they are gone already.
      if (acknowledged > 0) await this.removeOldest(acknowledged, 0);
    });
  }

  /** Removes one entry (a result the server refuses for good, e.g. a mirror deleted since). */
  discard(seq: number): Promise<void> {
    return this.serial(async () => {
      const index = this.window.findIndex((entry) => entry.seq === seq);
      if (index === -1) return;
      if (index === 0) {
        await this.removeOldest(1, 0);
        return;
      }
      let start = this.headOffset;
      for (const entry of this.window.slice(0, index)) start += entry.bytes;
      const removed = this.window[index]?.bytes ?? 0;
      const { ino } = await rewriteRanges(this.filePath, [
        [this.headOffset, start],
        [start + removed, this.fileSize],
      ]);
      this.window.splice(index, 1);
      this.count -= 1;
      this.readOffset -= this.headOffset + removed;
      this.fileSize -= this.headOffset + removed;
      this.headOffset = 0;
      this.fileIno = ino;
      await this.saveMeta();
    });
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadNow(): Promise<SpoolLoad> {
    await mkdir(path.dirname(path.resolve(this.filePath)), { recursive: true });
    // Created now so that its inode, recorded in the side file, is the one later appends go to.
    await writeFile(this.filePath, '', { flag: 'a' });
    const meta = await readMeta(this.metaPath());
    const file = await stat(this.filePath);
    this.droppedCount = meta.dropped;
    const head = meta.ino === file.ino && meta.head <= file.size && (await endsLine(this.filePath, meta.head)) ? meta.head : 0;

    // One pass: count the whole lines, note the torn ones, keep only the byte ranges of the good ones.
    const ranges: Array<[number, number]> = [];
    let valid = 0;
    let tornLines = 0;
    for await (const line of readLines(this.filePath, head, file.size)) {
      if (!line.complete || line.text === null || !isJsonObject(line.text)) {
        tornLines += 1;
        continue;
      }
      valid += 1;
      const last = ranges[ranges.length - 1];
      if (last && last[1] === line.start) last[1] = line.start + line.bytes;
      else ranges.push([line.start, line.start + line.bytes]);
    }
    // Over the cap (a smaller --spool-max-results than last run): the oldest go, counted.
    const excess = Math.max(0, valid - this.maxEntries);
    if (excess > 0) {
      const cut = await offsetAfterValidLines(this.filePath, head, file.size, excess);
      while (ranges[0] && ranges[0][1] <= cut) ranges.shift();
      if (ranges[0] && ranges[0][0] < cut) ranges[0][0] = cut;
      this.droppedCount += excess;
    }
    this.count = valid - excess;
    if (tornLines > 0) {
      // Rewritten without the torn lines, so that appends never follow a half line and every line past head is whole.
      const rewritten = await rewriteRanges(this.filePath, ranges);
      this.fileIno = rewritten.ino;
      this.fileSize = rewritten.size;
      this.headOffset = 0;
    } else {
      this.fileIno = file.ino;
      this.fileSize = file.size;
      this.headOffset = ranges[0]?.[0] ?? file.size;
    }
    this.readOffset = this.headOffset;
    await this.saveMeta();
    return { restored: this.count, tornLines };
  }

  /** Reads entries from disk into the window until it holds `wanted` (or the queue ends). */
  private async fill(wanted: number): Promise<void> {
    if (this.window.length >= wanted || this.readOffset >= this.fileSize) return;
    for await (const line of readLines(this.filePath, this.readOffset, this.fileSize)) {
      // Every line past head is whole and valid (load rewrote the file otherwise); a torn one here would be a bug.
      if (!line.complete || line.text === null) throw new Error(`spool: ${this.filePath} has a torn line at byte ${line.start}`);
      this.window.push({ seq: this.nextSeq++, line: line.text, bytes: line.bytes });
      this.readOffset = line.start + line.bytes;
      if (this.window.length >= wanted) break;
    }
  }

  /** Moves the head past the oldest `count` entries (from the window first, then straight on disk). */
  private async removeOldest(count: number, dropped: number): Promise<void> {
    const fromWindow = Math.min(count, this.window.length);
    for (const entry of this.window.splice(0, fromWindow)) this.headOffset += entry.bytes;
    let onDisk = count - fromWindow;
    if (onDisk > 0) {
      for await (const line of readLines(this.filePath, this.readOffset, this.fileSize)) {
        this.readOffset = line.start + line.bytes;
        if (--onDisk === 0) break;
      }
      this.headOffset = this.readOffset;
    }
    this.count -= count;
    this.droppedCount += dropped;
    if (this.headOffset >= COMPACT_MIN_BYTES && this.headOffset * 2 >= this.fileSize) {
      const { ino } = await rewriteRanges(this.filePath, [[this.headOffset, this.fileSize]]);
      this.fileIno = ino;
      this.readOffset -= this.headOffset;
      this.fileSize -= this.headOffset;
      this.headOffset = 0;
    }
    await this.saveMeta();
  }

  private saveMeta(): Promise<void> {
    return writeMeta(this.metaPath(), { dropped: this.droppedCount, head: this.headOffset, ino: this.fileIno });
  }

  private metaPath(): string {
    return `${this.filePath}.meta.json`;
  }
}

/** True when `offset` starts a line: the file's start, or just past a newline. */
async function endsLine(filePath: string, offset: number): Promise<boolean> {
  if (offset === 0) return true;
  const handle = await open(filePath, 'r');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, offset - 1);
    return byte[0] === 10;
  } finally {
    await handle.close();
  }
}

/** The offset just past the `count`-th valid line from `from`. */
async function offsetAfterValidLines(filePath: string, from: number, to: number, count: number): Promise<number> {
  let seen = 0;
  for await (const line of readLines(filePath, from, to)) {
    if (line.complete && line.text !== null && isJsonObject(line.text) && ++seen === count) return line.start + line.bytes;
  }
  return to;
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
