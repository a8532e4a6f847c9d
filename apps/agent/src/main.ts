#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { CliError, parseAgentArgs, USAGE, type AgentOptions } from './cli-args.js';
import { VantageAgent } from './agent.js';
import { createLogger } from './log.js';

// undici parses HTTP with llhttp compiled to WebAssembly, and V8's optimizing
// tier for it costs ~8 MiB of resident memory for no gain at a few requests a
// second (measured: docs/benchmarks/vantage-agents.md). Set before undici
// compiles the module, which it does lazily on the first request.
setFlagsFromString('--liftoff-only');

/** `npm run agent -- --server URL --token T`: probe from this network, report to the server. */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: AgentOptions;
  try {
    options = parseAgentArgs(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`mirrorwatch-agent: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const log = createLogger(options.logLevel);
  const agent = new VantageAgent(options, log);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void agent.stop(0));
  await agent.start();
  return agent.done;
}

const code = await main();
process.exitCode = code;
// Everything is closed by now; should a socket linger, do not keep a stopped agent alive for it.
setTimeout(() => process.exit(code), 5_000).unref();
