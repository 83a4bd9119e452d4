import { defineConfig } from 'wxt';

/**
 * Nook's WXT config. Source lives in `extension/`; `core/` and `shared/` stay
 * platform-free. The three official provider API hosts are asked for up front;
 * custom endpoints and the relay are requested at runtime (optional permissions).
 */
export default defineConfig({
  srcDir: 'extension',
  // Icons (icon/<size>.png) and other files copied as they are.
  publicDir: 'extension/public',
  // NOOK_OUT_DIR lets parallel work (or a benchmark) build without clobbering `.output/`.
  outDir: process.env.NOOK_OUT_DIR ?? '.output',
  imports: false,
  // NOOK_E2E=1 builds (the e2e harness makes them in `.output-e2e`) contain a test-only
  // context-menu hook (entrypoints/background.ts); store builds get `false` and drop it.
  vite: () => ({
    define: { 'import.meta.env.NOOK_E2E': JSON.stringify(process.env.NOOK_E2E === '1') },
    ...(process.env.NOOK_NO_MINIFY === '1' ? { build: { minify: false } } : {}),
  }),
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  // The Firefox source package (`npm run zip`): what a reviewer needs to rebuild the
  // add-on with `npm ci && npm run build:firefox`, and nothing else.
  zip: {
    includeSources: [
      'extension/**',
      'shared/**',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'wxt.config.ts',
      '.puppeteerrc.cjs',
      'README.md',
    ],
    excludeSources: ['**/*.test.ts', '**/*.test.tsx'],
  },
  manifest: ({ browser }) => ({
    name: 'Nook',
    description:
      'A private AI assistant in your side panel. Everything it stores is encrypted under your passphrase.',
    permissions: [
      'storage',
      'unlimitedStorage',
      'alarms',
      'contextMenus',
      'scripting',
      'activeTab',
      // Removes the Origin header for a user's OpenAI-compatible server (Ollama refuses
      // extension Origins); one rule per granted host, see create-page-services.ts. The
      // WithHostAccess variant acts only on hosts Nook holds a permission for and adds no
      // install-time warning.
      'declarativeNetRequestWithHostAccess',
      ...(browser === 'firefox' ? [] : ['sidePanel']),
    ],
    host_permissions: [
      'https://api.openai.com/*',
      'https://api.anthropic.com/*',
      'https://generativelanguage.googleapis.com/*',
    ],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    // hash-wasm needs WebAssembly; nothing else is relaxed and no remote code is loaded.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // Private windows: Nook stays out and both browsers say so ("not allowed in private
    // windows"). Firefox gives extension pages no IndexedDB there (the vault cannot open);
    // Chrome's "spanning" would file incognito chats in the normal vault and "split" would
    // open an empty throwaway one. See the README.
    incognito: 'not_allowed',
    // Chrome: an action lets a click (or a test) open the side panel.
    action: { default_title: 'Open Nook' },
    commands: {
      'open-nook': {
        suggested_key: { default: 'Alt+Shift+N' },
        description: 'Open Nook',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'nook@nook.invalid',
              // data_collection_permissions needs Firefox 140 (142 on Android).
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
