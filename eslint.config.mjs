// ESLint (flat config) with typescript-eslint's type-aware rules. Formatting is Prettier's job
// (.prettierrc.json); eslint-config-prettier, last, turns off every rule that would fight it.
// `npm run lint` must report nothing: no errors and no warnings (--max-warnings 0).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Generated or vendored, or not ours to lint:
    ignores: [
      'dist/**', // tsc output (npm run build)
      'cdktf.out/**', // cdktf synth output
      '.gen/**', // cdktf get output
      'coverage/**', // jest --coverage
      'bench.out/**', // scripts/bench.ts output
      'docs/**', // generated references (docs/api, docs/reference) and hand-written markdown
      'charts/**', // Helm charts (templates, values) shipped as data
      'monitoring/**', // generated alert rules and dashboard (npm run alerts)
      // Compiled against the packed package in a temporary project by __tests__/package/consumer.test.ts;
      // its import of 'wire-federation-cdktf' does not resolve in this checkout.
      '__tests__/package/consumer/**',
    ],
  },
  js.configs.recommended,
  {
    // TypeScript: the files tsconfig.json covers (main.ts, lib, stacks, bin, scripts, __tests__), with type information.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {},
  },
  {
    // The few JavaScript files (bin/wire-federation.js, jest.config.js, test helpers run as child processes,
    // this file): not in tsconfig.json, so no type information.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  prettier,
);
