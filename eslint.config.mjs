import nx from '@nx/eslint-plugin';
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
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'react'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'undici'] },
  // The agent runs in other networks with the probe engine only: no framework, no database client.
  { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'next/*', 'react', 'better-sqlite3', 'pg'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract'] },
];

// Tests may also use the lab (real registries and fault servers); production code may not.
const testConstraints = productionConstraints.map((constraint) =>
  constraint.sourceTag === 'type:testing'
    ? constraint
    : { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] },
);

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e.ts', '**/test/**/*.ts', '**/testing/**/*.ts'];

const boundaries = (depConstraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints },
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
];
