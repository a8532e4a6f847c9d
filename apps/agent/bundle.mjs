/**
 * Bundles the compiled agent (apps/agent/dist/start.js, tsc output), the
 * probe engine and the parts of undici it loads into one minified ASCII file,
 * apps/agent/dist/main.js: the file `npm run agent`, the Docker image and the
 * lab run. Nothing is loaded from node_modules at run time.
 *
 * Why: the agent must stay under 60 MiB resident while probing 50 mirrors
 * (docs/benchmarks/vantage-agents.md). One file spares Node's module loader
 * a module record, wrapper and compiled top-level code per file (undici alone
 * is ~60 files), and a minified source is smaller to keep: V8 holds every
 * script's source for lazy compilation for the process lifetime.
 *
 * Two rewrites make that possible:
 * - libs/probe's undici-core.js loads undici's lib files through
 *   createRequire (undici has no `exports` map, and a Node ESM import of a
 *   CommonJS file by path would wrap each one); esbuild does not follow a
 *   require made by createRequire, so here that local require is dropped and
 *   the calls become plain require() calls, which esbuild bundles.
 * - undici's HTTP/2 client (client-h2.js) requires node:http2 when undici is
 *   loaded, although HTTP/2 is only used when a connector offers it by ALPN
 *   (`allowH2`, off by default and never set by the probe engine or the
 *   agent's server client). Loading node:http2 costs ~2.7 MiB resident. Here
 *   it is replaced by apps/agent/src/lazy-http2.cjs: the protocol constants
 *   undici reads at load time, and a connect() that loads the real module on
 *   first use.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const agentDir = import.meta.dirname;
const outfile = path.join(agentDir, 'dist', 'main.js');
const LOCAL_REQUIRE = 'const require = createRequire(import.meta.url);';

/** @type {import('esbuild').Plugin} */
const agentRewrites = {
  name: 'mirrorwatch-agent-rewrites',
  setup(build) {
    build.onLoad({ filter: /[\\/]libs[\\/]probe[\\/]dist[\\/]undici-core\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      // Refuse rather than bundle something that would load undici from node_modules after all.
      if (!source.includes(LOCAL_REQUIRE))
        throw new Error(`bundle.mjs: ${args.path} no longer contains "${LOCAL_REQUIRE}"; update the rewrite`);
      return { contents: source.replace(LOCAL_REQUIRE, ''), loader: 'js' };
    });
    build.onResolve({ filter: /^node:http2$/ }, (args) => {
      if (!/[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer)) return undefined;
      return { path: path.join(agentDir, 'src', 'lazy-http2.cjs') };
    });
  },
};

const result = await build({
  entryPoints: [path.join(agentDir, 'dist', 'start.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.9',
  minify: true,
  // Error names are read by the probe's classification and written to logs; keep class and function names.
  keepNames: true,
  charset: 'ascii',
  legalComments: 'none',
  metafile: true,
  plugins: [agentRewrites],
  // undici's CommonJS files call require(); in an ES module it has to be made.
  banner: {
    js: "import { createRequire as __mirrorwatchCreateRequire } from 'node:module';\nconst require = __mirrorwatchCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// Every input must be in the bundle: a package left external would be loaded from node_modules, which the image does not ship.
const external = Object.values(result.metafile.inputs)
  .flatMap((input) => input.imports)
  .filter(
    (entry) => entry.external && entry.path !== '<runtime>' && !entry.path.startsWith('node:') && !builtinModules.includes(entry.path),
  );
if (external.length > 0) throw new Error(`bundle.mjs: left outside the bundle: ${[...new Set(external.map((e) => e.path))].join(', ')}`);
if (!Object.keys(result.metafile.inputs).some((input) => input.endsWith('lazy-http2.cjs'))) {
  throw new Error('bundle.mjs: undici no longer requires node:http2 from client-h2.js; check the lazy-http2 rewrite');
}
// charset: 'ascii' escapes strings and identifiers; check nothing else slipped through (V8 stores a non-ASCII source two bytes a character).
if (/[^\x00-\x7f]/.test(readFileSync(outfile, 'utf8'))) throw new Error('bundle.mjs: the bundle is not ASCII');
