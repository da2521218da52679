// @ts-check
// Lint rules, including the layers: src/core is editor- and protocol-free, the server never
// imports `vscode`, the client reaches the core only through the protocol and the model's types,
// and no source file grows past 600 lines. `npm run lint` runs this; so does `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Module names no layer below the editor may import. */
const EDITOR = ['vscode', 'vscode-languageclient', 'vscode-languageclient/*'];
const PROTOCOL = ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.mjs', '**/*.cjs', 'corpus/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-self-compare': 'off',
      'prefer-const': 'error',
      eqeqeq: ['error', 'smart'],
      // intentional: scratch values released for the collector, ASCII ranges in character tests
      'no-useless-assignment': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 600 }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...EDITOR, ...PROTOCOL], message: 'src/core is editor- and protocol-free: inject what it needs.' },
          { group: ['**/client/**', '**/server/**', '**/cli/**', '**/protocol/**'], message: 'src/core imports nothing from the front ends.' },
          { group: ['node:worker_threads', 'worker_threads', 'node:child_process', 'child_process'], message: 'src/core does no process or thread work: the server does.' },
        ],
      }],
    },
  },
  {
    files: ['src/client/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/core/**', '!**/core/model/**'], message: 'The client reaches the core through the protocol (src/protocol) only: the library lives in the language server.' },
          { group: ['**/core/model/**'], allowTypeImports: true, message: 'The client uses the model\'s types only (import type).' },
          { group: ['**/server/**', ...PROTOCOL], message: 'The client talks to the server through vscode-languageclient and src/protocol.' },
        ],
      }],
    },
  },
  {
    files: ['src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: EDITOR, message: 'The language server and the CLI run in any editor or none: no `vscode`.' },
          { group: ['**/client/**'], message: 'The server and the CLI import nothing from the VS Code client.' },
        ],
      }],
    },
  },
);
