#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { CliError, parseAgentArgs, USAGE, type AgentOptions } from './cli-args.js';
import { VantageAgent } from './agent.js';
import { createLogger } from './log.js';

// The agent makes a few requests a second; V8's optimizing compilers buy it
// nothing and cost resident memory (measured: docs/benchmarks/vantage-agents.md):
// TurboFan's compilation zones and code for hot JavaScript (~5 MiB), and the
// optimizing tier for undici's llhttp WebAssembly (~8 MiB). Set before any
// of it runs: undici compiles llhttp lazily, on the first request.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--no-opt');

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
