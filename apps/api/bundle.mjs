/**
 * Bundles the compiled API (apps/api/dist/start.js, tsc output with its
 * decorator metadata) and the pure-JS libraries it imports into one file,
 * apps/api/dist/main.js, the file `npm start` runs.
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
 * PostgreSQL), and Nest's optional packages that are not installed (microservices,
 * websockets, Fastify).
 * apps/api/dist/start.js stays runnable on its own (`node apps/api/dist/start.js`).
 */
import { build } from 'esbuild';
import path from 'node:path';

const apiDir = import.meta.dirname;

await build({
  entryPoints: [path.join(apiDir, 'dist', 'start.js')],
  outfile: path.join(apiDir, 'dist', 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.9',
  // Nest names providers and log contexts after classes; minifiers and bundlers must not rename them.
  keepNames: true,
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
  ],
  logLevel: 'warning',
});
