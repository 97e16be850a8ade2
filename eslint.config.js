import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Routes speak HTTP only: queries live in the store's repositories (src/adapters/store), shared
 * answers in src/adapters/http (json/, ownership.ts, session-cookie.ts), and a route file never
 * imports another (common.ts and procurement-shared.ts are the routes' shared helpers, not routes).
 */
const ROUTE_IMPORTS = {
  group: ['./*', '!./common.js', '!./procurement-shared.js'],
  message: 'A route file never imports another route file: share through src/adapters/http or the store.',
};
const ROUTE_DRIZZLE = [
  {
    group: ['drizzle-orm', 'drizzle-orm/*'],
    message: 'Routes do not query: put the query in a store repository (src/adapters/store).',
  },
  {
    group: ['**/store/schema.js'],
    message: 'Routes do not see the schema: the store repositories return rows and types.',
  },
];
function routeRules() {
  return [
    {
      files: ['src/adapters/http/routes/**/*.ts'],
      ignores: ['**/*.test.ts'],
      rules: { 'no-restricted-imports': ['error', { patterns: [ROUTE_IMPORTS, ...ROUTE_DRIZZLE] }] },
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'var/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      // The pure core does no IO: adapters (files, CLI, storage) live in src/adapters.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process'],
              message: 'The core is pure: IO belongs in src/adapters.',
            },
            {
              group: ['**/adapters/**'],
              message: 'Dependencies point inward: the core never imports an adapter.',
            },
          ],
        },
      ],
    },
  },
  ...routeRules(),
  {
    // The application layer (use cases) calls the core and the store; HTTP and the CLI call it.
    files: ['src/app/**/*.ts'],
    ignores: ['src/app/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/http/**', '**/adapters/cli/**'],
              message:
                'Use cases do not know who calls them: HTTP and the CLI call src/app, not the reverse.',
            },
            {
              group: ['drizzle-orm', 'drizzle-orm/*', '**/store/schema.js'],
              message: 'Queries live in the store.',
            },
          ],
        },
      ],
    },
  },
  {
    // The store holds repositories only: it knows neither its callers nor the demo region's seeding.
    files: ['src/adapters/store/**/*.ts'],
    ignores: ['src/adapters/store/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/http/**', '**/adapters/cli/**', '**/app/**', '../http/**', '../cli/**'],
              message: 'The store is called, it does not call: HTTP, the CLI and src/app import it.',
            },
            {
              group: ['**/demo/**', '../demo/*'],
              message: 'Demo seeding lives in src/adapters/demo and calls the store, not the reverse.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The web interface runs in the browser; hooks follow React's rules.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // The browser shares the pure core (labels, the access table, domain constants), nothing else.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/adapters/**', '**/src/app/**', '**/src/bench/**', '**/src/cli/**'],
              message: 'The web imports only the pure core (src/core) from the server side.',
            },
          ],
        },
      ],
    },
  },
);
