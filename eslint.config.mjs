import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries are enforced, not just documented:
 * - domain libs (probe engine, scoring, catalog, exports) import only other
 *   domain libs and never a framework or the database client;
 * - the dashboard never imports the API and vice versa; both share only
 *   `scope:shared` libraries (domain types and the API contract).
 */
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
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'next/*', 'react', 'react-dom', 'recharts'],
            },
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'next', 'react'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'undici'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract'] },
          ],
        },
      ],
    },
  },
];
