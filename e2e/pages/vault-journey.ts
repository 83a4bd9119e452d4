import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/browser';
import { dumpExtensionStorage, findCanary, makeCanary, scanFiles } from '../harness/canary';
import type { JourneyTarget, LaunchedExtension } from './targets';
import { vaultPage, type VaultPage } from './vault-page';

/**
 * The vault journey in the built extension, in `target`'s browser: create → save kit →
 * store a conversation → prove the canary is nowhere on disk → lock → unlock → change
 * passphrase → recover with the Recovery Key → open the real panel → restart the browser
 * and need the passphrase again.
 */
export function vaultJourney(target: JourneyTarget): void {
  describe(`vault (${target.name}, built extension)`, () => {
    const pass1 = 'correct horse battery staple 1';
    const pass2 = 'a different, longer passphrase 2';
    const pass3 = 'recovered passphrase number three';
    const canary = makeCanary('vault');
    const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-dl-'));
    let ext: LaunchedExtension;
    let v: VaultPage;
    let kit: { secretKey: string; recoveryKey: string };

    beforeAll(async () => {
      ext = await target.launch({ downloads });
      v = vaultPage(await ext.openPage('sidepanel.html'));
    });
    afterAll(async () => {
      await ext?.close();
    });

    it('refuses an empty or 4-character passphrase with the reason', async () => {
      for (const weak of ['', 'abcd']) {
        await v.fill('setup-passphrase', weak);
        await v.fill('setup-confirm', weak);
        await v.click('setup-submit');
        expect(await v.text('setup-error')).toMatch(/at least \d+ characters/i);
      }
      expect(await v.has('kit-secret-key')).toBe(false);
    });

    it('creates a vault and hands over an Emergency Kit that is downloaded', async () => {
      await v.fill('setup-passphrase', pass1);
      expect(await v.text('setup-strength')).toMatch(/strength/i);
      kit = await v.createVault(pass1);
      expect(kit.secretKey).toMatch(/^NK1-/);
      expect(kit.recoveryKey).toMatch(/^NKR-/);
      const file = await waitFor(
        async () => fs.readdirSync(downloads).find((f) => !f.endsWith('.crdownload')),
        'kit download',
      );
      const body = fs.readFileSync(path.join(downloads, file), 'utf8');
      expect(body).toContain(kit.secretKey);
      expect(body).toContain(kit.recoveryKey);
    });

    it('stores a conversation whose text is nowhere in IndexedDB or storage.local', async () => {
      await v.fill('composer-input', `Please remember ${canary} for me`);
      await v.page.keyboard.press('Enter');
      await waitFor(
        async () => (await v.bodyText()).includes(canary),
        'the message to appear in the chat',
      );
      const dump = await dumpExtensionStorage(v.page);
      // The scan must have something to look at: the message and its conversation exist.
      expect(dump.stores).toEqual(expect.arrayContaining(['nook/messages', 'nook/conversations']));
      expect(dump.records).toBeGreaterThanOrEqual(3);
      expect(findCanary(dump.bytes, canary)).toEqual([]);
    });

    it('shows only the unlock screen once locked', async () => {
      await v.lockNow();
      expect(await v.has('app-root')).toBe(false);
      expect(await v.bodyText()).not.toContain(canary);
      const options = vaultPage(await ext.openPage('options.html'));
      await options.visible('unlock-screen');
      expect(await options.has('app-root')).toBe(false);
      await options.page.close();
    });

    it('rejects a wrong passphrase with one generic message', async () => {
      await v.unlock('not my passphrase at all');
      expect(await v.text('unlock-error')).toMatch(/wrong passphrase/i);
      expect(await v.has('app-root')).toBe(false);
    });

    it('unlocks and finds the conversation again by search', async () => {
      await v.unlockExpectingApp(pass1);
      await v.fill('conv-search', canary.slice(0, 16));
      await waitFor(async () => (await v.page.$$(v.tid('conv-item'))).length === 1, 'search hit');
    });

    it('changes the passphrase in Options and keeps every record readable', async () => {
      const o = vaultPage(await ext.openPage('options.html'));
      await o.visible('app-root');
      await o.fill('change-current', pass1);
      await o.fill('change-new', pass2);
      await o.fill('change-confirm', pass2);
      await o.click('change-submit');
      await waitFor(async () => /changed/i.test(await o.text('change-result')), 'change result');
      await o.lockNow();
      await o.page.close();
      await v.visible('unlock-screen');
      await v.unlock(pass1);
      expect(await v.text('unlock-error')).toMatch(/wrong passphrase/i);
      await v.unlockExpectingApp(pass2);
      await v.fill('conv-search', '');
      await v.click('conv-item');
      await waitFor(async () => (await v.bodyText()).includes(canary), 'message readable');
    });

    it('recovers with the Recovery Key, sets a new passphrase, and shows a new kit', async () => {
      await v.lockNow();
      await v.click('unlock-forgot');
      await v.fill('recover-key', kit.recoveryKey);
      await v.fill('recover-passphrase', pass3);
      await v.fill('recover-confirm', pass3);
      await v.click('recover-submit');
      const newRecovery = await v.text('kit-recovery-key');
      expect(newRecovery).not.toEqual(kit.recoveryKey);
      await v.acknowledgeKit();
      await v.click('conv-item');
      await waitFor(async () => (await v.bodyText()).includes(canary), 'message readable');
    });

    it('shows a clear per-record error for a tampered record while the rest still loads', async () => {
      const second = `second message ${makeCanary('ok')}`;
      await v.fill('composer-input', second);
      await v.page.keyboard.press('Enter');
      await waitFor(async () => (await v.bodyText()).includes(second), 'second message');
      // Flip one ciphertext bit of the first message, straight in IndexedDB.
      const tampered = await v.page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open('nook');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const rows = await new Promise<{ id: string; createdAt: number; env: Uint8Array }[]>(
          (res, rej) => {
            const r = db.transaction('messages').objectStore('messages').getAll();
            r.onsuccess = () => res(r.result);
            r.onerror = () => rej(r.error);
          },
        );
        const first = rows.sort((a, b) => a.createdAt - b.createdAt)[0]!;
        const env = new Uint8Array(first.env);
        env[env.length - 20]! ^= 0x01;
        await new Promise((res, rej) => {
          const tx = db.transaction('messages', 'readwrite');
          tx.objectStore('messages').put({ ...first, env });
          tx.oncomplete = res;
          tx.onerror = () => rej(tx.error);
        });
        db.close();
        return first.id;
      });
      expect(tampered).toBeTruthy();
      await ext.reload(v.page);
      await v.click('conv-item');
      await v.visible('record-error');
      expect(await v.text('record-error')).toMatch(/could not be decrypted/i);
      await waitFor(async () => (await v.text('msg-list')).includes(second), 'the intact message');
      // The damaged message is replaced by the error, not shown (the title still quotes it).
      expect(await v.text('msg-list')).not.toContain(canary);
    });

    it('opens as the real side panel from the toolbar action', async () => {
      // Still unlocked (keys in storage.session), so the real panel shows the app.
      await ext.openRealPanelShowingApp();
    });

    it('needs the passphrase again after the browser restarts, and the disk holds no canary', async () => {
      const dir = ext.userDataDir;
      await ext.close();
      const hits = scanFiles(dir, canary);
      expect(hits).toEqual([]);
      ext = await target.launch({ userDataDir: dir, downloads });
      v = vaultPage(await ext.openPage('sidepanel.html'));
      await v.visible('unlock-screen');
      expect(await v.has('app-root')).toBe(false);
      await v.unlockExpectingApp(pass3);
    });
  });
}
