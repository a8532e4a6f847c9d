#!/usr/bin/env node
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI_USAGE, parseCliArgs } from './cli-args.js';
import { startLab, type Lab } from './assembly/start-lab.js';
import { productEnvForLab, productEnvLine } from './assembly/product-env.js';
import { stopChild, trackChild } from './net/child-processes.js';

const PRODUCT_ENTRY = 'apps/api/dist/main.js';
/** Short light-probe interval so a newcomer sees statuses change within seconds. */
const LAB_PROBE_INTERVAL_SECONDS = '10';

async function main(): Promise<void> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${CLI_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(CLI_USAGE);
    return;
  }
  const lab = await startLab({ extras: args.extras });
  const catalogPath = resolve(args.catalogPath);
  await lab.writeCatalog(catalogPath);
  printSummary(lab, catalogPath);

  let product: ChildProcess | null = null;
  let shuttingDown = false;
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (product) await stopChild(product, 5_000);
    await lab.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (args.start) {
    if (!existsSync(PRODUCT_ENTRY)) {
      console.error(`\n${PRODUCT_ENTRY} not found: build the product first (npm run build). The lab keeps running.`);
    } else {
      product = spawn(process.execPath, [PRODUCT_ENTRY], {
        stdio: 'inherit',
        env: {
          ...process.env,
          ...productEnvForLab(lab, catalogPath),
          PORT: String(args.port),
          PROBE_INTERVAL_SECONDS: process.env['PROBE_INTERVAL_SECONDS'] ?? LAB_PROBE_INTERVAL_SECONDS,
        },
      });
      trackChild(product);
      product.on('exit', (code, signal) => {
        if (shuttingDown) return;
        console.error(`product exited (code ${code}, signal ${signal}); stopping the lab`);
        void shutdown(code ?? 1);
      });
      console.log(`\nproduct: http://127.0.0.1:${args.port}/ (output follows)`);
    }
  }
  console.log('\nCtrl-C stops everything.');
}

function printSummary(lab: Lab, catalogPath: string): void {
  console.log(`mirrorwatch lab up in ${lab.startupMs} ms\n`);
  console.log(`upstream (plays Docker Hub)  ${lab.upstream.url}   library/alpine:latest ${lab.alpine.index}`);
  for (const mirror of lab.mirrors) {
    const expected = mirror.expectedFailure ?? 'ok';
    console.log(`${mirror.variant.padEnd(14)} ${mirror.url.padEnd(26)} expect ${expected.padEnd(16)} ${mirror.notes}`);
  }
  console.log(`\ncatalog: ${catalogPath}`);
  console.log(
    `run the product against it:\n  ${productEnvLine(lab, catalogPath)} PROBE_INTERVAL_SECONDS=${LAB_PROBE_INTERVAL_SECONDS} npm start`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
