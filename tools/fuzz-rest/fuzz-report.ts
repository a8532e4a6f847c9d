import type { FuzzFigures } from './run-fuzz.js';

export function renderFuzzReport(figures: FuzzFigures, run: { seed: number; operations: number; machine: string }): string {
  const statuses = Object.entries(figures.byStatus)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const problems = new Map<string, number>();
  for (const v of figures.violations)
    problems.set(`${v.request.operation}: ${v.problem}`, (problems.get(`${v.request.operation}: ${v.problem}`) ?? 0) + 1);
  return [
    '# REST fuzzing',
    '',
    `Produced by \`npm run fuzz:rest -- --cases ${figures.cases + figures.skippedNonLoopbackUrls} --seed ${run.seed}\` (tools/fuzz-rest) on ${new Date().toISOString().slice(0, 10)}, ${run.machine}.`,
    `Requests are generated with fast-check from the committed docs/openapi.json (${run.operations} operations, public and admin): path ids, query values (declared and undeclared, repeated),`,
    'JSON bodies shaped by the schema or not, parser-hostile raw bodies (up to 70,000 `[`, 5,000 nested arrays, 300 KB), wrong content types and tokens.',
    'Rules: no 5xx; every 4xx is a JSON error with a message; 400, 413, 415 and 422 name the `field`.',
    '',
    '| figure | value |',
    '|---|---|',
    `| requests sent | ${figures.cases} (${figures.skippedNonLoopbackUrls} more generated but not sent: they named a non-loopback host) |`,
    `| operations covered | ${Object.keys(figures.byOperation).length} of ${run.operations} |`,
    `| statuses | ${statuses} |`,
    `| rule violations | ${figures.violations.length} |`,
    `| requests sent again on a new connection (a kept-alive connection closed under a PATCH/POST; judged by the second answer) | ${figures.retriedOnNewConnection} |`,
    `| product RSS: start / max / end | ${figures.rssStartMiB ?? '-'} / ${figures.rssMaxMiB ?? '-'} / ${figures.rssEndMiB ?? '-'} MiB |`,
    `| duration | ${(figures.durationMs / 1000).toFixed(1)} s |`,
    '',
    ...(problems.size === 0 ? [] : ['Violations:', '', ...[...problems].map(([problem, count]) => `- ${problem} (${count})`), '']),
  ].join('\n');
}
