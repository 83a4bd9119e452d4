import { defineConfig } from 'wxt';

/**
 * Nook's WXT config. Source lives in `extension/`; `core/` and `shared/` stay
 * platform-free. The three official provider API hosts are asked for up front;
 * custom endpoints and the relay are requested at runtime (optional permissions).
 */
export default defineConfig({
  srcDir: 'extension',
  // NOOK_OUT_DIR lets parallel work (or a benchmark) build without clobbering `.output/`.
  outDir: process.env.NOOK_OUT_DIR ?? '.output',
  imports: false,
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
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
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
