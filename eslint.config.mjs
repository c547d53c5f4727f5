import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const noElectron = { name: 'electron', message: 'Only src-main and src-preload may import electron.' }
const electronPatterns = { group: ['electron/*'], message: 'Only src-main and src-preload may import electron.' }

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'results/**', 'test-results/**', 'playwright-report/**', 'docs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src-engine/**', 'src-board/**', 'src-cli/**', 'src-webhost/**', 'src-services/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [electronPatterns] }] },
  },
  {
    files: ['src-engine/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [electronPatterns, { group: ['@board', '@board/*', '**/src-board', '**/src-board/*'], message: 'The engine never imports the virtual board: it is injected (provideVirtualBoards).' }] }],
      'no-restricted-syntax': ['error', { selector: "ImportExpression[source.type='Literal'][source.value=/(^@board|src-board)/]", message: 'The engine never imports the virtual board: it is injected (provideVirtualBoards).' }, { selector: "ImportExpression[source.type!='Literal']", message: 'The engine imports modules by name only, so the boundaries can be checked.' }],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'src-shared is pure: no Node imports.' }))],
          patterns: [electronPatterns, { group: ['../src-*', '@engine/*', '@board/*'], message: 'src-shared depends on nothing.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' }))],
          patterns: [electronPatterns, { group: ['@engine/*', '@board/*', '../../src-engine/*', '../../src-board/*'], message: 'The renderer reaches the engine through window.api only.' }],
        },
      ],
    },
  },
  prettier,
)
