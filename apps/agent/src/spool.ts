import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One spooled result: its serialized JSON (shipped as is) and its place in the queue. */
export interface SpoolEntry {
  seq: number;
  line: string;
}

export interface SpoolLoad {
  restored: number;
  /** A line cut short by a crash mid-write: it was never acknowledged, so nothing acknowledged is lost. */
  tornLines: number;
}

/**
 * A bounded, file-backed FIFO of results waiting for the server.
 *
 * Every result is appended here before it is shipped, and leaves only when
 * the server acknowledged it, so a crash or an outage loses nothing that was
 * written: replays after a crash are stored once by their ids. Past
 * `maxEntries` the oldest results are dropped and counted (`dropped`, kept in
 * a side file) rather than filling the disk during a long outage.
 *
 * The file is NDJSON. One writer at a time brings it up to date with memory:
 * appends when results were only added, else an atomic rewrite (temp file +
 * rename), so the file is always a prefix-consistent queue.
 */
export class Spool {
  private entries: SpoolEntry[] = [];
  private nextSeq = 0;
  private droppedCount = 0;
  /** Range of sequence numbers the file holds: [fileHead, fileTail). */
  private fileHead = 0;
  private fileTail = 0;
  private writing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly filePath: string,
    private readonly maxEntries: number,
  ) {}

  /** Reads what a previous run left (in order), and the drop counter. */
  async load(): Promise<SpoolLoad> {
    await mkdir(path.dirname(path.resolve(this.filePath)), { recursive: true });
    const text = await readFile(this.filePath, 'utf8').catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? '' : Promise.reject(error),
    );
    let tornLines = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (!isJsonObject(line)) {
        tornLines += 1;
        continue;
      }
      this.entries.push({ seq: this.nextSeq++, line });
    }
    const meta = await readFile(this.metaPath(), 'utf8').catch(() => '{}');
    this.droppedCount = Number((JSON.parse(meta) as { dropped?: unknown }).dropped) || 0;
    this.trim();
    // Rewrite once: drops torn lines and anything past the cap.
    this.fileHead = -1;
    await this.flush();
    return { restored: this.entries.length, tornLines };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Results dropped because the spool was full, over the spool's whole life. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Adds results at the tail and writes them out; resolves once they are on disk. */
  async push(lines: readonly string[]): Promise<void> {
    for (const line of lines) this.entries.push({ seq: this.nextSeq++, line });
    this.trim();
    await this.flush();
  }

  /** The oldest `count` entries, left in place until `acknowledge`. */
  head(count: number): SpoolEntry[] {
    return this.entries.slice(0, count);
  }

  /** Removes every entry up to and including `lastSeq` (those the server stored or refused for good). */
  async acknowledge(lastSeq: number): Promise<void> {
    const keepFrom = this.entries.findIndex((entry) => entry.seq > lastSeq);
    this.entries = keepFrom === -1 ? [] : this.entries.slice(keepFrom);
    await this.flush();
  }

  /** Removes one entry (a result the server refuses for good, e.g. a mirror deleted since). */
  async discard(seq: number): Promise<void> {
    this.entries = this.entries.filter((entry) => entry.seq !== seq);
    // Forces a rewrite: the file's head did not move, but its content changed.
    this.fileHead = -1;
    await this.flush();
  }

  private trim(): void {
    const excess = this.entries.length - this.maxEntries;
    if (excess <= 0) return;
    this.entries = this.entries.slice(excess);
    this.droppedCount += excess;
  }

  /** Serialises writers: a second caller waits for the running write and then makes sure its own change is on disk. */
  private async flush(): Promise<void> {
    if (this.writing) {
      this.again = true;
      while (this.writing) await this.writing;
      return;
    }
    this.writing = this.writeLoop();
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
  }

  private async writeLoop(): Promise<void> {
    do {
      this.again = false;
      const head = this.entries[0]?.seq ?? this.nextSeq;
      const tail = this.nextSeq;
      if (head === this.fileHead && tail === this.fileTail) continue;
      const snapshot = this.entries.slice();
      if (head === this.fileHead) {
        const added = snapshot.filter((entry) => entry.seq >= this.fileTail);
        await appendFile(this.filePath, added.map((entry) => `${entry.line}\n`).join(''));
      } else {
        const temporary = `${this.filePath}.tmp`;
        await writeFile(temporary, snapshot.map((entry) => `${entry.line}\n`).join(''));
        await rename(temporary, this.filePath);
        await writeFile(this.metaPath(), JSON.stringify({ dropped: this.droppedCount }));
      }
      this.fileHead = head;
      this.fileTail = tail;
    } while (this.again);
  }

  private metaPath(): string {
    return `${this.filePath}.meta.json`;
  }
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
