import swc from 'unplugin-swc';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import workspace libraries from source through the custom export
// condition, so `vitest run` needs no prior build of libs/*.
const sourceConditions = ['@mirrorwatch/source', ...defaultServerConditions];

/** Integration files run at once (see the integration project); VITEST_INTEGRATION_WORKERS overrides it for measuring. */
const INTEGRATION_WORKERS = Number(process.env.VITEST_INTEGRATION_WORKERS ?? 3);

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  // Nest's dependency injection needs decorator metadata, which esbuild does not emit.
  plugins: [
    swc.vite({
      jsc: {
        target: 'es2023',
        parser: { syntax: 'typescript', decorators: true },
        transform: { decoratorMetadata: true, legacyDecorator: true },
      },
    }),
  ],
  test: {
    // The slowest-files table comes before the closing line, which stays last for CI to read.
    reporters: ['default', './tools/vitest/slowest-files-reporter.ts', './tools/vitest/closing-line-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'libs/*/src/**/*.spec.ts',
            'apps/api/src/**/*.spec.ts',
            'apps/api/bundling/**/*.spec.ts',
            'apps/agent/src/**/*.spec.ts',
            'apps/web/src/**/*.spec.ts',
            'tools/**/*.spec.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['libs/*/src/**/*.int-spec.ts', 'apps/api/**/*.int-spec.ts', 'tools/**/*.int-spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // These files mostly wait on subprocesses (products, labs, PostgreSQL) and probe intervals, so more
          // files than cores run at once; vitest's default on 2 cores is one file at a time. A project with its
          // own maxWorkers needs its own groupOrder: unit files run first, then these, then e2e (sequential).
          maxWorkers: INTEGRATION_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['apps/web-e2e/**/*.e2e.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
