import { open, readFile, rename, writeFile } from 'node:fs/promises';

/** Bytes read from the spool file at a time: what a scan or a window refill holds besides the lines it keeps. */
const CHUNK_BYTES = 16 * 1024;
/** A result line is ~1 KiB; anything longer than this is not one of ours and is skipped as torn, not buffered. */
const MAX_LINE_BYTES = 1024 * 1024;

export interface SpoolLine {
  /** The line without its newline; null when it was longer than MAX_LINE_BYTES (not kept). */
  text: string | null;
  /** Byte offset of the line's first byte in the file. */
  start: number;
  /** Bytes the line takes in the file, newline included. */
  bytes: number;
  /** False for a last line without its newline (cut short by a crash mid-append). */
  complete: boolean;
}

/**
 * The lines of `filePath` in [from, to), one chunk in memory at a time. Stop
 * iterating early to read only what is needed (the file is closed either way).
 */
export async function* readLines(filePath: string, from: number, to = Number.POSITIVE_INFINITY): AsyncGenerator<SpoolLine> {
  const handle = await open(filePath, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = from;
    let lineStart = from;
    let parts: Buffer[] = [];
    let partBytes = 0;
    let oversize = false;
    const keep = (piece: Buffer) => {
      if (oversize) return;
      if (partBytes + piece.length > MAX_LINE_BYTES) {
        oversize = true;
        parts = [];
        return;
      }
      parts.push(Buffer.from(piece));
      partBytes += piece.length;
    };
    while (position < to) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, to - position), position);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      let cursor = 0;
      for (let newline = data.indexOf(10, cursor); newline !== -1; newline = data.indexOf(10, cursor)) {
        let text: string | null;
        if (oversize || partBytes + newline - cursor > MAX_LINE_BYTES) text = null;
        else if (parts.length === 0) text = data.toString('utf8', cursor, newline);
        else text = Buffer.concat([...parts, data.subarray(cursor, newline)]).toString('utf8');
        const end = position + newline + 1;
        yield { text, start: lineStart, bytes: end - lineStart, complete: true };
        lineStart = end;
        parts = [];
        partBytes = 0;
        oversize = false;
        cursor = newline + 1;
      }
      keep(data.subarray(cursor));
      position += bytesRead;
    }
    if (position > lineStart) {
      yield {
        text: oversize ? null : Buffer.concat(parts).toString('utf8'),
        start: lineStart,
        bytes: position - lineStart,
        complete: false,
      };
    }
  } finally {
    await handle.close();
  }
}

/**
 * Writes the byte ranges `ranges` of `filePath` (in order) to a temporary
 * file and renames it over `filePath`: a crash leaves either the old file or
 * the new one. Returns the new file's inode and size.
 */
export async function rewriteRanges(
  filePath: string,
  ranges: ReadonlyArray<readonly [number, number]>,
): Promise<{ ino: number; size: number }> {
  const temporary = `${filePath}.tmp`;
  const source = await open(filePath, 'r');
  const target = await open(temporary, 'w');
  let size = 0;
  try {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (const [start, end] of ranges) {
      for (let position = start; position < end;) {
        const { bytesRead } = await source.read(chunk, 0, Math.min(chunk.length, end - position), position);
        if (bytesRead === 0) throw new Error(`spool: ${filePath} ended at ${position}, expected ${end} bytes`);
        await target.write(chunk, 0, bytesRead);
        position += bytesRead;
        size += bytesRead;
      }
    }
    await target.datasync();
    const { ino } = await target.stat();
    await target.close();
    await rename(temporary, filePath);
    return { ino, size };
  } finally {
    await source.close();
    await target.close().catch(() => undefined);
  }
}

/**
 * The side file: results dropped at the cap (over the spool's whole life),
 * and where the queue starts in the spool file. `ino` names the file that
 * `head` belongs to: after a rewrite (rename) the spool file is a new inode,
 * so a crash between the rename and this file's update reads as "start at
 * 0 of the new file", which is right, rather than an offset into the wrong
 * file. Anything unreadable here reads as head 0: at worst acknowledged
 * results are sent again, and the server stores a result id once.
 */
export interface SpoolMeta {
  dropped: number;
  head: number;
  ino: number | null;
}

export async function readMeta(metaPath: string): Promise<SpoolMeta> {
  const text = await readFile(metaPath, 'utf8').catch(() => '{}');
  let value: { dropped?: unknown; head?: unknown; ino?: unknown } = {};
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    // A meta file from before atomic writes, cut short: start from the file's beginning.
  }
  const whole = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null);
  return { dropped: whole(value.dropped) ?? 0, head: whole(value.head) ?? 0, ino: whole(value.ino) };
}

export async function writeMeta(metaPath: string, meta: SpoolMeta): Promise<void> {
  const temporary = `${metaPath}.tmp`;
  await writeFile(temporary, JSON.stringify(meta));
  await rename(temporary, metaPath);
}
