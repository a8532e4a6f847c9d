import { describe, expect, it } from 'vitest';
import { createTar } from './tar.js';

function field(header: Buffer, offset: number, length: number): string {
  return header
    .subarray(offset, offset + length)
    .toString('ascii')
    .replace(/\0.*$/s, '')
    .trim();
}

describe('createTar', () => {
  const content = Buffer.from('hello lab\n');
  const tar = createTar([
    { path: 'etc', mtime: 1_700_000_000 },
    { path: 'etc/greeting', content, mtime: 1_700_000_000 },
  ]);

  it('lays out headers, padded content and two closing zero blocks', () => {
    // dir header + file header + one content block + 2 end blocks
    expect(tar.length).toBe(512 * 5);
    expect(tar.subarray(512 * 3).every((byte) => byte === 0)).toBe(true);
  });

  it.each([
    { index: 0, name: 'etc/', type: '5', size: 0 },
    { index: 1, name: 'etc/greeting', type: '0', size: content.length },
  ])('writes a valid ustar header for $name', ({ index, name, type, size }) => {
    const header = tar.subarray(index * 512, index * 512 + 512);
    expect(field(header, 0, 100)).toBe(name);
    expect(field(header, 156, 1)).toBe(type);
    expect(parseInt(field(header, 124, 12), 8)).toBe(size);
    expect(header.subarray(257, 263).toString('ascii')).toBe('ustar\0');
    const stored = parseInt(field(header, 148, 8), 8);
    const copy = Buffer.from(header);
    copy.fill(' ', 148, 156);
    expect(stored).toBe(copy.reduce((sum, byte) => sum + byte, 0));
  });

  it('places file content right after its header', () => {
    expect(tar.subarray(1024, 1024 + content.length)).toEqual(content);
  });

  it('rejects paths that do not fit a ustar name field', () => {
    expect(() => createTar([{ path: 'x'.repeat(101), content, mtime: 0 }])).toThrow(/too long/);
  });
});
