import { describePageJs, measurePageJs } from './testing/page-js';

/**
 * Prints the first-load JavaScript of dashboard pages (testing/page-js.ts says
 * what is counted). docs/benchmarks/status-page-size.md quotes its output.
 *
 *   npx tsx apps/web-e2e/measure-page-js.ts http://127.0.0.1:3000 /status /
 */
async function main(): Promise<void> {
  const [origin = 'http://127.0.0.1:3000', ...paths] = process.argv.slice(2);
  for (const pathname of paths.length > 0 ? paths : ['/status']) {
    for (const line of describePageJs(await measurePageJs(origin.replace(/\/$/, ''), pathname))) console.log(line);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
