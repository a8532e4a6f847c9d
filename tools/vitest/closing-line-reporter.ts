import type { Reporter, TestModule } from 'vitest/node';

/**
 * The variable and marker of libs/lab's test-requirements.ts: a suite skipped
 * because MIRRORWATCH_SKIP names what it needs carries `[MIRRORWATCH_SKIP=name]`
 * in its name. (Repeated here: the reporter loads before any workspace code.)
 */
const SKIP_VARIABLE = 'MIRRORWATCH_SKIP';
const SKIP_MARKER = /\[MIRRORWATCH_SKIP=([a-z]+)\]/;

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after
 * vitest's own summary, so CI can read the outcome without parsing vitest's
 * decorated output. When MIRRORWATCH_SKIP is set, a second line says what it
 * left out, so a run that skipped PostgreSQL or Chromium on request never
 * reads as a full run.
 */
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const skippedOnRequest = new Map<string, number>();
    for (const testModule of testModules) {
      // A file that failed outside its tests (an import, a beforeAll) leaves its tests skipped: count the file.
      const tests = [...testModule.children.allTests()];
      if (testModule.state() === 'failed' && !tests.some((testCase) => testCase.result().state === 'failed')) failed += 1;
      for (const testCase of tests) {
        const state = testCase.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else {
          skipped += 1;
          const requirement = SKIP_MARKER.exec(testCase.fullName)?.[1];
          if (requirement) skippedOnRequest.set(requirement, (skippedOnRequest.get(requirement) ?? 0) + 1);
        }
      }
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    const requested = process.env[SKIP_VARIABLE]?.trim();
    if (requested) {
      const counts = [...skippedOnRequest].map(([name, count]) => `${name}: ${count}`).join(', ') || 'none in this run';
      process.stdout.write(`NOT A FULL RUN: ${SKIP_VARIABLE}=${requested} skipped tests on request (${counts})\n`);
    }
  }
}
