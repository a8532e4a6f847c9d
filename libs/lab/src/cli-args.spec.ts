import { describe, expect, it } from 'vitest';
import { EXTRA_VARIANTS } from './assembly/lab-mirror.js';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it.each([
    { argv: [], expected: { start: false, port: 3000, catalogPath: 'tmp/lab/catalog.yaml', extras: [] } },
    { argv: ['--start', '--port', '4000'], expected: { start: true, port: 4000 } },
    { argv: ['--port=4001', '--catalog=x.yaml'], expected: { port: 4001, catalogPath: 'x.yaml' } },
    { argv: ['--extras', 'tls,stale'], expected: { extras: ['tls', 'stale'] } },
    { argv: ['--extras', 'all'], expected: { extras: [...EXTRA_VARIANTS] } },
  ])('parses $argv', ({ argv, expected }) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });

  it.each([
    { argv: ['--port', '0'], error: /--port/ },
    { argv: ['--port'], error: /needs a value/ },
    { argv: ['--extras', 'nope'], error: /unknown extra mirror nope/ },
    { argv: ['--what'], error: /unknown argument/ },
  ])('rejects $argv', ({ argv, error }) => {
    expect(() => parseCliArgs(argv)).toThrow(error);
  });
});
