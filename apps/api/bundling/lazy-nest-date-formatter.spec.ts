import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { lazyNestDateFormatter } from './lazy-nest-date-formatter.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'mirrorwatch-lazy-formatter-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface NestLoggers {
  ConsoleLogger: new () => { getTimestamp(): string };
  Logger: { getTimestamp(): string };
}

/** Nest's loggers bundled as apps/api/bundle.mjs bundles them (with or without the plugin), then loaded, counting Intl.DateTimeFormat constructions. */
async function loadBundledLoggers(name: string, plugins: Plugin[]): Promise<{ loggers: NestLoggers; formattersBuiltAtLoad: number }> {
  const result = await build({
    stdin: { contents: "export { ConsoleLogger, Logger } from '@nestjs/common';", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    external: ['class-transformer', 'class-validator', '@nestjs/microservices', '@nestjs/websockets'],
    plugins,
  });
  const file = path.join(scratch, `${name}.mjs`);
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  const Real = Intl.DateTimeFormat;
  let built = 0;
  // A function, not an arrow: Nest calls it with `new`.
  const counting = vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (
    ...args: ConstructorParameters<typeof Intl.DateTimeFormat>
  ) {
    built += 1;
    return new Real(...args);
  } as unknown as typeof Intl.DateTimeFormat);
  try {
    const loggers = (await import(pathToFileURL(file).href)) as NestLoggers;
    return { loggers, formattersBuiltAtLoad: built };
  } finally {
    counting.mockRestore();
  }
}

describe('lazyNestDateFormatter (apps/api/bundle.mjs)', () => {
  afterEach(() => vi.useRealTimers());

  it('bundled Nest loggers build no date formatter when they load, and print the same timestamps as Nest does', async () => {
    const eager = await loadBundledLoggers('eager', []);
    const lazy = await loadBundledLoggers('lazy', [lazyNestDateFormatter]);
    // Without the plugin Nest builds its formatters as it loads: the count sees them, so a zero below means something.
    expect(eager.formattersBuiltAtLoad).toBeGreaterThanOrEqual(2);
    expect(lazy.formattersBuiltAtLoad).toBe(0);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-04T05:06:07Z'));
    const printed = (loggers: NestLoggers) => [new loggers.ConsoleLogger().getTimestamp(), loggers.Logger.getTimestamp()];
    expect(printed(lazy.loggers)).toEqual(printed(eager.loggers));
    expect(printed(lazy.loggers)[0]).toMatch(/2026/);
  });
});
