import type { Page } from 'puppeteer';
import { vaultPage } from './vault-page';

/** What "Link this browser" asks for. */
export interface LinkInput {
  relayUrl: string;
  accountId: string;
  secretKey: string;
  passphrase: string;
}

/** Page object for Options → Sync and the "Link this browser" form (built on the vault page). */
export function syncPage(page: Page) {
  const v = vaultPage(page);
  // Chromium stalls clicks and rAF polling in a background tab: act on the front one.
  const front = () => page.bringToFront();
  const api = {
    ...v,
    /** Creates the relay account for this vault; resolves with the account ID shown. */
    async createAccount(relayUrl: string, passphrase: string, deviceName: string) {
      await front();
      await v.visible('sync-section');
      await v.fill('sync-relay-url', relayUrl);
      await v.fill('sync-device-name', deviceName);
      await v.fill('sync-passphrase', passphrase);
      await v.click('sync-create');
      return v.text('sync-account-id');
    },
    /** On a browser with no vault: fills "Link this browser" and submits it. */
    async submitLink(o: LinkInput) {
      await front();
      await v.fill('link-relay-url', o.relayUrl);
      await v.fill('link-account-id', o.accountId);
      await v.fill('link-secret-key', o.secretKey);
      await v.fill('link-passphrase', o.passphrase);
      await v.click('link-submit');
    },
    /** Links this browser and waits for the unlocked app. */
    async link(o: LinkInput) {
      await api.submitLink(o);
      await v.visible('app-root', 60_000);
    },
    /** The status block's state: ok, pending, error or signed-out. */
    async state() {
      await front();
      const el = await v.visible('sync-status');
      return el!.evaluate((e) => e.getAttribute('data-state') ?? '');
    },
    async pending() {
      await front();
      return Number(await v.text('sync-pending'));
    },
    async lastSyncedAt() {
      await front();
      const el = await v.visible('sync-last-synced');
      return Number((await el!.evaluate((e) => e.getAttribute('data-at'))) || 0);
    },
    async error() {
      await front();
      return (await v.has('sync-error')) ? v.text('sync-error') : '';
    },
    async devices() {
      await front();
      await v.visible('sync-device-item');
      return page.$$eval(v.tid('sync-device-item'), (els) =>
        els.map((e) => (e as HTMLElement).innerText),
      );
    },
  };
  return api;
}
export type SyncPage = ReturnType<typeof syncPage>;
