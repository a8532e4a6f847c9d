import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The parts of undici the probe engine uses (Agent, buildConnector, the
 * request API and the error a destroyed dispatcher reports), loaded without
 * undici's index. The index loads all of undici: fetch, WebSocket,
 * EventSource, caches, mocks, proxy agents, every interceptor. In a process that only probes (the vantage agent) that costs
 * ~10 MiB of resident memory for nothing: measured 58.7 MiB after
 * `import 'undici'` against 51.2 MiB with only these files, in a Node.js
 * started with the agent's heap flags (docs/benchmarks/vantage-agents.md).
 *
 * Loaded on first use, not when this library is imported: the API bundles
 * this library but probes on its engine thread, so its own thread loads
 * undici (its HTTP/1 client compiles llhttp's WebAssembly as it loads) only
 * when something there sends a request: a public check, an image lookup, a
 * webhook. Kept out, that is ~2.6 MiB of the API thread's heap (issue 10;
 * docs/benchmarks/memory.md).
 *
 * undici (7.x) publishes no `exports` map, so its lib files are reachable
 * by path; the types are undici's own. Where another module imports the
 * index as well, both resolve to the same files and share one module
 * instance, so classes and errors stay the same objects.
 */
export interface UndiciCore {
  Agent: typeof Undici.Agent;
  buildConnector: typeof Undici.buildConnector;
  ClientDestroyedError: typeof Undici.errors.ClientDestroyedError;
}

export type Agent = Undici.Agent;
export type { Dispatcher } from 'undici';

let loaded: UndiciCore | null = null;

export function undiciCore(): UndiciCore {
  if (loaded !== null) return loaded;
  const require = createRequire(import.meta.url);
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
  // What undici's index does: the request/stream/pipeline/connect/upgrade methods live on every dispatcher.
  Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);
  loaded = {
    Agent: require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent,
    buildConnector: require('undici/lib/core/connect.js') as typeof Undici.buildConnector,
    ClientDestroyedError: (require('undici/lib/core/errors.js') as typeof Undici.errors).ClientDestroyedError,
  };
  return loaded;
}
