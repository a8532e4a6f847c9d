import { readFile } from 'node:fs/promises';

/**
 * Nest's two logger modules each build an Intl.DateTimeFormat as they load,
 * for the timestamps of Nest's own console logger. The product logs through
 * pino and never formats with them, yet building one loads ICU's locale and
 * calendar tables: 6-8 MiB of node's binary and 2 MiB of heap, resident for
 * the life of the process (issue 10, docs/benchmarks/memory.md). This esbuild
 * plugin (apps/api/bundle.mjs) makes each formatter build itself on its first
 * use instead; what it prints is unchanged.
 * Nest's text must match exactly as expected, or the build fails: an upgrade
 * that changes it has to be looked at again, not silently bundled eagerly.
 */
const EAGER_FORMATTER = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const LAZY_FORMATTER = `
function lazyDateTimeFormat(locales, options) {
  let formatter;
  return { format: (date) => (formatter ??= new Intl.DateTimeFormat(locales, options)).format(date) };
}
`;
export const lazyNestDateFormatter = {
  name: 'lazy-nest-date-formatter',
  setup(build) {
    build.onLoad({ filter: /@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/ }, async ({ path: file }) => {
      const source = await readFile(file, 'utf8');
      const uses = source.match(/\bdateTimeFormatter\b[^\n]{0,8}/g) ?? [];
      const onlyFormats = uses.slice(1).every((use) => use.startsWith('dateTimeFormatter.format('));
      if (source.split(EAGER_FORMATTER).length !== 2 || !uses[0]?.startsWith('dateTimeFormatter = new') || !onlyFormats) {
        throw new Error(`bundle.mjs: ${file} no longer builds its date formatter as expected; look at lazyNestDateFormatter again`);
      }
      return { contents: source.replace(EAGER_FORMATTER, 'const dateTimeFormatter = lazyDateTimeFormat(') + LAZY_FORMATTER, loader: 'js' };
    });
  },
};
