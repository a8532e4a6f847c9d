/** One entry of an in-memory tar archive. */
export interface TarEntry {
  path: string;
  /** Omitted for directories. */
  content?: Buffer;
  mode?: number;
  mtime: number;
}

const BLOCK = 512;

/**
 * Writes a POSIX ustar archive (POSIX.1-1988 header layout). Image layers are
 * plain tars, and writing the few fields by hand keeps the lab free of an
 * archive dependency; only short paths are needed, so no pax extensions.
 */
export function createTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const isDirectory = entry.content === undefined;
    const content = entry.content ?? Buffer.alloc(0);
    parts.push(tarHeader(entry, isDirectory, content.length));
    if (content.length > 0) {
      parts.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
    }
  }
  // An archive ends with two zero blocks.
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function tarHeader(entry: TarEntry, isDirectory: boolean, size: number): Buffer {
  const path = isDirectory && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path too long for a ustar header: ${path}`);
  const header = Buffer.alloc(BLOCK);
  header.write(path, 0, 100, 'utf8');
  writeOctal(header, 100, 8, entry.mode ?? (isDirectory ? 0o755 : 0o644));
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, entry.mtime);
  header.write(isDirectory ? '5' : '0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write('root', 265, 32, 'ascii');
  header.write('root', 297, 32, 'ascii');
  // The checksum is computed with its own field filled with spaces.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
