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
 * undici (7.x) publishes no `exports` map, so its lib files are reachable
 * by path; the types are undici's own. Where another module imports the
 * index as well, both resolve to the same files and share one module
 * instance, so classes and errors stay the same objects.
 */
const require = createRequire(import.meta.url);

const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
// What undici's index does: the request/stream/pipeline/connect/upgrade methods live on every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export type Agent = Undici.Agent;
export const buildConnector = require('undici/lib/core/connect.js') as typeof Undici.buildConnector;
export const { ClientDestroyedError } = require('undici/lib/core/errors.js') as Pick<typeof Undici.errors, 'ClientDestroyedError'>;
export type { Dispatcher } from 'undici';
