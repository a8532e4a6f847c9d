/**
 * Bundles the compiled API (apps/api/dist/start.js, tsc output with its
 * decorator metadata) and the pure-JS libraries it imports into one file,
 * apps/api/dist/main.js, the file `npm start` runs; and the rollup pass's
 * thread (job-thread/rollup.worker.js) the same way into
 * apps/api/dist/rollup-worker.js.
 *
 * Why: on this code base most of a start-up's CPU went to Node's ESM loader
 * resolving, reading and compiling well over a thousand small modules (Nest 12
 * is ESM, plus our own ~340 files), not to running them; one file removes
 * that work. bench/startup measured it (docs/benchmarks/startup.md).
 *
 * Left outside the bundle, loaded from node_modules at run time: packages
 * with native addons or files of their own (better-sqlite3, Prisma's client
 * and WASM engines, Next.js and React, swagger-ui's assets), pino (its
 * transports run files in worker threads), node-postgres (loaded only on
 * PostgreSQL), Nest's optional packages that are not installed (microservices,
 * websockets, Fastify), and packages loaded only on demand that this product
 * never asks for (see the list).
 * apps/api/dist/start.js stays runnable on its own (`node apps/api/dist/start.js`).
 */
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { flushableTopLevel } from './bundling/flushable-top-level.mjs';
import { lazyNestDateFormatter } from './bundling/lazy-nest-date-formatter.mjs';

const apiDir = import.meta.dirname;

await bundle(path.join(apiDir, 'dist', 'start.js'), path.join(apiDir, 'dist', 'main.js'));
// Started by RollupJobThread for each pass: bundled for the same reasons, the Nest formatters among them.
await bundle(
  path.join(apiDir, 'dist', 'ranking', 'rollups', 'job-thread', 'rollup.worker.js'),
  path.join(apiDir, 'dist', 'rollup-worker.js'),
);

async function bundle(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.9',
    // Nest names providers and log contexts after classes; minifiers and bundlers must not rename them.
    keepNames: true,
    // V8 keeps every script's source in the heap for the life of the process (lazy compilation
    // compiles a function from it on first call): minified, the 6.7 MB are 3.5 MB. Functions and
    // classes keep their names (keepNames), so stack traces and Nest's tokens read as before; no code
    // in the bundle parses a function's source for its parameter names.
    minify: true,
    // CommonJS dependencies call require(); in an ES module it has to be made.
    banner: {
      js: "import { createRequire as __mirrorwatchCreateRequire } from 'node:module';\nconst require = __mirrorwatchCreateRequire(import.meta.url);",
    },
    external: [
      'better-sqlite3',
      '@prisma/*',
      'prisma',
      'next',
      'react',
      'react-dom',
      'pg',
      'pg-native',
      'pino',
      'pino-pretty',
      'thread-stream',
      'swagger-ui-dist',
      '@nestjs/microservices',
      '@nestjs/microservices/*',
      '@nestjs/websockets',
      '@nestjs/websockets/*',
      '@fastify/*',
      // Loaded on demand, and never by this product: a bundled copy is source text the heap holds
      // for the process's life all the same (~1 MiB of these four; issue 10). Nest imports
      // class-validator/-transformer only for its ValidationPipe and ClassSerializer (the API
      // validates with zod) and file-type only for its file pipes; body-parser builds iconv-lite's
      // codecs on the first body and its double-byte tables (most of its size) only for such a
      // charset. From node_modules, each loads only if and when it is asked for.
      'class-validator',
      'class-transformer',
      'file-type',
      'iconv-lite',
    ],
    logLevel: 'warning',
    plugins: [lazyNestDateFormatter],
  });

  // V8 keeps a script's source for lazy compilation, and a source with a single
  // character above U+00FF is stored two bytes per character: the 6.6 MB bundle
  // cost 13 MB of heap for the whole process lifetime because of a few accented
  // letters in validator.js's regex literals, which esbuild's ASCII output leaves
  // as they are. A \uXXXX escape means the same in a regex, string, template,
  // identifier or comment, so every non-ASCII UTF-16 unit is written as one.
  const source = readFileSync(outfile, 'utf8');
  // An identity escape (`\é` in a regex) would turn into a literal backslash: refuse rather than guess.
  if (/\\[\u0080-\uffff]/.test(source)) throw new Error('bundle.mjs: a non-ASCII character follows a backslash; escape it by hand');
  const ascii = source.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Start-up code in a function V8 may drop once it has run (flushable-top-level.mjs).
  writeFileSync(outfile, flushableTopLevel(ascii));
}
