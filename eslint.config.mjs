// ESLint (flat config). `npm run lint` runs it together with Prettier, dependency-cruiser and knip.
//
// TypeScript files are linted with type information (the project service reads tsconfig.json),
// so the rules that need the type checker (floating promises, misused promises, ...) work.
// The JavaScript files (jest.config.js, test/support/*.mjs, this file) get the plain rules only.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'web/dist/', 'web/src/gql/', '.data/', '.keys/', 'coverage/', 'bench/results/']),

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: an unhandled rejection or a promise passed where a callback's result is ignored
      // is a bug that the type checker can see.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Off: its hits here are methods that must return a promise (Apollo plugin hooks and context
      // functions, `stop()` of the database handle, a node resolver) and are `async` for that
      // reason; the rule would only ask to trade `async` for `Promise.resolve(...)`.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',

      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Type-only imports are marked `import type` / `import { type X }`. With experimentalDecorators
      // and emitDecoratorMetadata (tsconfig.json), the rule leaves files that have decorators alone,
      // since the emitted metadata may need the value import.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],

      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-console': 'error',
      // Off: the hub matches control characters on purpose (refusing them in free text, the
      // end-of-file byte of the OFAC list), each time with a comment saying so.
      'no-control-regex': 'off',
    },
  },

  {
    // The console runs in the browser and is type-checked with its own tsconfig (web/tsconfig.json).
    files: ['web/**/*.{ts,tsx,mts}'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, project: './web/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },

  {
    // Tests read untyped JSON responses (`res.data.x.y`); typing each one would add noise, not safety.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  {
    // Command-line programs: printing is their job.
    files: ['scripts/**', 'bench/**', 'src/main.ts'],
    rules: { 'no-console': 'off' },
  },

  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
