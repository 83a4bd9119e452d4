import fs from 'node:fs';
import path from 'node:path';
import type { ProviderDouble } from '../doubles/provider-double';
import { grantLoopback } from '../pages/loopback-build';
import { optionsPage, type ProviderInput } from '../pages/options-page';
import { CHROME_BUILD, launchWithExtension, type ExtensionBrowser } from './browser';

/**
 * The set-up every chat e2e suite shares: a copy of the Chrome build whose manifest
 * already grants http://127.0.0.1/* (Chrome's permission prompt cannot be clicked
 * headless; the real Save/Test code still calls permissions.request, which then resolves
 * without a prompt, and installs the Origin rule), a browser launched on it, and
 * providers added through Options against the provider double.
 */

/** A browser running the patched build. */
export type ChatBrowser = ExtensionBrowser;

/** Copies the build into a fresh temp folder, adding http://127.0.0.1/* to host_permissions. */
export function patchedBuild(prefix = 'nook-chat-ext-'): string {
  if (!fs.existsSync(path.join(CHROME_BUILD, 'manifest.json'))) {
    throw new Error(`No extension build at ${CHROME_BUILD}: run npm run build first.`);
  }
  return grantLoopback(CHROME_BUILD, prefix);
}

/** Launches headless Chromium on the build copy `extDir` with the profile `userDataDir`. */
export function launchChatBrowser(extDir: string, userDataDir: string): Promise<ChatBrowser> {
  return launchWithExtension({ extensionDir: extDir, userDataDir });
}

/** Which double route a provider kind talks to. */
export const DOUBLE_API = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  'openai-compatible': 'ollama',
} as const;

/**
 * Adds one provider in Options → Providers against the double (Test connection, pick
 * `model` from the listed models, Save) and closes the options tab. Returns the test
 * result text. The vault must be unlocked.
 */
export async function addDoubleProvider(
  ext: ChatBrowser,
  double: ProviderDouble,
  p: { kind: ProviderInput['kind']; label: string; apiKey: string; model?: string },
): Promise<string> {
  const o = optionsPage(await ext.openPage('options.html'));
  try {
    await o.visible('providers-section');
    await o.fillProvider({ ...p, baseUrl: double.baseUrl(DOUBLE_API[p.kind]) });
    const result = await o.testConnection();
    await o.page.select(o.tid('provider-model-list'), p.model ?? 'double-small');
    await o.save(p.label);
    return result;
  } finally {
    await o.page.close();
  }
}

/** Removes the temp folders a suite made (the build copy, the profile). */
export function removeDirs(...dirs: string[]): void {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}
