import type { Page } from 'puppeteer';
import { vaultPage } from './vault-page';

/** What the Options → Providers form needs for one provider. */
export interface ProviderInput {
  kind: 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
  label: string;
  apiKey?: string;
  baseUrl?: string;
  model?: string;
}

/** Page object for Options → Providers and Personas (built on the vault page object). */
export function optionsPage(page: Page) {
  const v = vaultPage(page);
  const api = {
    ...v,
    /** Opens the form, fills it, tests the connection and returns the test result text. */
    async fillProvider(p: ProviderInput) {
      await v.click('provider-add');
      await page.select(v.tid('provider-kind'), p.kind);
      await v.fill('provider-label', p.label);
      if (p.apiKey !== undefined) await v.fill('provider-key', p.apiKey);
      if (p.baseUrl !== undefined) await v.fill('provider-base-url', p.baseUrl);
      if (p.model !== undefined) await v.fill('provider-model', p.model);
    },
    async testConnection(): Promise<string> {
      await v.click('provider-test');
      await page.waitForFunction(
        (sel) => {
          const t = document.querySelector(sel)?.textContent ?? '';
          return t !== '' && t !== 'Testing…';
        },
        { timeout: 30_000 },
        v.tid('provider-test-result'),
      );
      return v.text('provider-test-result');
    },
    /** Saves and waits for the form to close and the provider to be listed. */
    async save(label: string) {
      await v.click('provider-save');
      await v.gone('provider-form');
      await page.waitForFunction(
        (sel, l) => [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes(l)),
        { timeout: 10_000 },
        v.tid('provider-item'),
        label,
      );
    },
    async providerItems(): Promise<string[]> {
      return page.$$eval(v.tid('provider-item'), (els) =>
        els.map((e) => (e as HTMLElement).innerText),
      );
    },
  };
  return api;
}
export type OptionsPageObject = ReturnType<typeof optionsPage>;
