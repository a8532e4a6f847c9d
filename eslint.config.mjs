import nx from '@nx/eslint-plugin';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries are enforced, not just documented:
 * - domain libs (probe engine, scoring, catalog, exports) import only other
 *   domain libs and never a framework or the database client;
 * - the dashboard never imports the API and vice versa; both share only
 *   `scope:shared` libraries (domain types and the API contract).
 */
const productionConstraints = [
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'next/*', 'react', 'react-dom', 'recharts'],
  },
  {
    sourceTag: 'type:contract',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'react'],
  },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'undici'] },
  // The agent runs in other networks with the probe engine only: no framework, no database client.
  {
    sourceTag: 'scope:agent',
    onlyDependOnLibsWithTags: ['scope:shared'],
    bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'next/*', 'react', 'better-sqlite3', 'pg'],
  },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract'] },
];

// Tests may also use the lab (real registries and fault servers); production code may not.
const testConstraints = productionConstraints.map((constraint) =>
  constraint.sourceTag === 'type:testing'
    ? constraint
    : { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] },
);

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e.ts', '**/test/**/*.ts', '**/testing/**/*.ts'];

/**
 * Inside apps/api the folders follow the data's path and import one way:
 * probing -> ranking -> delivery, all above infrastructure. A stage below
 * announces (ProbeCycleEvents, MirrorStateEvents) and the stage above
 * subscribes; it never imports upward. Cross-folder imports use the
 * `#probing/*`-style aliases of apps/api/package.json, so a `../../` that
 * climbs out of a top-level folder is refused too. Cycles between the
 * folders of one stage are checked by tools/module-graph (npm run lint).
 * See docs/architecture.md.
 */
const API = 'apps/api/src';
const upward = (...stages) =>
  stages.map((stage) => ({
    // gitignore syntax: a leading `#` is a comment unless escaped.
    group: [`\\#${stage}/**`, `**/${stage}/**`],
    message: `${stage} sits above this folder: announce an event it subscribes to instead (docs/architecture.md).`,
  }));
/** From a file `depth` folders below src: an import that climbs into another top-level folder. */
const API_FOLDERS = ['probing', 'ranking', 'delivery', 'infrastructure', 'openapi'];
const climbOut = (depth) => ({
  group: API_FOLDERS.map((folder) => `${'../'.repeat(depth)}${folder}/**`),
  message: 'Import another top-level folder of apps/api/src through its #alias (apps/api/package.json "imports").',
});
const layerBans = {
  '*': [],
  infrastructure: upward('probing', 'ranking', 'delivery'),
  probing: upward('ranking', 'delivery'),
  ranking: upward('delivery'),
};
const apiLayers = Object.entries(layerBans).flatMap(([folder, patterns]) =>
  [1, 2, 3].map((depth) => ({
    files: [`${API}/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
    // Tests may follow data across stages (a rollup read back through history, say).
    ignores: TEST_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, climbOut(depth)] }] },
  })),
);

const boundaries = (depConstraints) => [
  'error',
  // The API's own `#folder/...` subpath imports stay inside apps/api (the folder rules below check them);
  // prisma/defaults.mjs is shared with the Prisma CLI, which loads plain files, not workspace packages.
  {
    enforceBuildableLibDependency: false,
    allow: ['#probing/**', '#ranking/**', '#delivery/**', '#infrastructure/**', '/prisma/defaults\\.mjs$'],
    depConstraints,
  },
];

export default [
  {
    ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', 'prisma/generated/**', 'tmp/**', '.nx/**', '**/next-env.d.ts'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A timer assigned after the callbacks that clear it is read before its one assignment.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@nx/enforce-module-boundaries': boundaries(productionConstraints),
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries(testConstraints) },
  },
  ...apiLayers,
  // Last, so layout is prettier's alone: turns off every rule that would argue with the formatter.
  eslintConfigPrettier,
];
