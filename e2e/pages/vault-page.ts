import type { Page } from 'puppeteer';

const tid = (id: string) => `[data-testid="${id}"]`;

/** Page object for the vault screens (setup, Emergency Kit, unlock, recovery, lock). */
export function vaultPage(page: Page) {
  const api = {
    page,
    tid,
    async visible(id: string, timeout = 30_000) {
      return page.waitForSelector(tid(id), { visible: true, timeout });
    },
    async gone(id: string, timeout = 30_000) {
      await page.waitForSelector(tid(id), { hidden: true, timeout });
    },
    async has(id: string) {
      return (await page.$(tid(id))) !== null;
    },
    async text(id: string) {
      const el = await api.visible(id);
      return (await el!.evaluate((e) => (e as HTMLElement).innerText)).trim();
    },
    async fill(id: string, value: string) {
      const el = await api.visible(id);
      await el!.click({ count: 3 });
      // A triple click selects one line only in a Firefox textarea: select it all.
      await el!.evaluate((e) => {
        if (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement) e.select();
      });
      await page.keyboard.press('Backspace');
      await el!.type(value);
    },
    async click(id: string) {
      const el = await api.visible(id);
      await el!.click();
    },
    /** First run: passphrase → Emergency Kit (downloaded and confirmed) → app. */
    async createVault(passphrase: string) {
      await api.fill('setup-passphrase', passphrase);
      await api.fill('setup-confirm', passphrase);
      await api.click('setup-submit');
      const secretKey = await api.text('kit-secret-key');
      const recoveryKey = await api.text('kit-recovery-key');
      await api.acknowledgeKit();
      return { secretKey, recoveryKey };
    },
    async acknowledgeKit() {
      await api.click('kit-download');
      await api.click('kit-confirm');
      await page.waitForSelector(`${tid('kit-continue')}:not([disabled])`, { timeout: 10_000 });
      await api.click('kit-continue');
      await api.visible('app-root');
    },
    async unlock(passphrase: string) {
      await api.fill('unlock-passphrase', passphrase);
      await api.click('unlock-submit');
    },
    async unlockExpectingApp(passphrase: string) {
      await api.unlock(passphrase);
      await api.visible('app-root', 60_000);
    },
    async lockNow() {
      await api.click('lock-now');
      await api.visible('unlock-screen');
    },
    async bodyText() {
      return page.evaluate(() => document.body.innerText);
    },
  };
  return api;
}
export type VaultPage = ReturnType<typeof vaultPage>;
