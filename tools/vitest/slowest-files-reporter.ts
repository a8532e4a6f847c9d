import type { Reporter, TestModule } from 'vitest/node';

/** How many files the table lists; enough to show where a CI run's time goes. */
const LISTED_FILES = 15;

/**
 * Prints the slowest test files of the run, slowest first, before the closing
 * line, so every CI log shows where the suite's time goes. A file's time is
 * what its worker spent on it: importing it, its hooks (labs, products,
 * databases started in beforeAll) and its tests. Files of different projects
 * overlap in time, so the figures add up to more than the run's wall time.
 */
export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const timed = testModules.map((testModule) => ({ testModule, ms: fileMilliseconds(testModule) })).sort((a, b) => b.ms - a.ms);
    if (timed.length === 0) return;
    const listed = timed.slice(0, LISTED_FILES);
    const lines = listed.map(
      ({ testModule, ms }) =>
        `${(ms / 1000).toFixed(1).padStart(7)} s  ${testModule.project.name.padEnd(11)} ${testModule.relativeModuleId}`,
    );
    process.stdout.write(`\nslowest test files (${listed.length} of ${timed.length}; import, hooks and tests):\n${lines.join('\n')}\n`);
  }
}

function fileMilliseconds(testModule: TestModule): number {
  const diagnostic = testModule.diagnostic();
  return (
    diagnostic.environmentSetupDuration +
    diagnostic.prepareDuration +
    diagnostic.collectDuration +
    diagnostic.setupDuration +
    diagnostic.duration
  );
}
