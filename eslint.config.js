// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const platformImports = {
  patterns: [
    { group: ['wxt', 'wxt/*'], message: 'core/ and shared/ are platform-free: use an adapter.' },
    { group: ['dexie'], message: 'core/ and shared/ are platform-free: use a repository port.' },
    {
      group: ['openai', '@anthropic-ai/sdk', '@google/genai'],
      message: 'SDKs live in adapters/providers.',
    },
    {
      group: ['webextension-polyfill', '*/adapters/*', '../adapters/*'],
      message: 'No browser APIs in core/.',
    },
    { group: ['react', 'react-dom'], message: 'No UI in core/ or shared/.' },
    { group: ['fastify', 'dockerode', 'pg', 'better-sqlite3', 'kysely'], message: 'Server-only.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.output/',
      '.output-*/',
      '.wxt/',
      '.data/',
      '.tmp/',
      'bench/out/',
      '.puppeteerrc.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['extension/ui/**/*.tsx', 'extension/entrypoints/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['extension/core/**/*.ts', 'shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', platformImports] },
  },
  {
    // The relay can never decrypt: it never imports the envelope/key code.
    files: ['relay/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/shared/crypto',
                '**/shared/crypto/index*',
                '**/shared/crypto/envelope*',
                '**/shared/crypto/keys*',
                '**/shared/crypto/key-format*',
                '**/shared/crypto/vault*',
                '**/shared/crypto/aead*',
              ],
              message: 'The relay holds ciphertext only and must not import decryption code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Scripts, e2e, bench and the relay's server entry print to the console on purpose.
    files: ['scripts/**', 'e2e/**', 'bench/**', 'relay/server.ts'],
    rules: { 'no-console': 'off' },
  },
);
