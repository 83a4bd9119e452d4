import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnRelay, type RelayProcess } from '../relay/spawn-relay';
import { createProviderDouble, type ProviderDouble } from './doubles/provider-double';
import { patchedBuild } from './harness/chat-extension';
import { CHROMIUM, CHROMIUM_ARGS, waitFor } from './harness/browser';
import { makeCanary, scanFiles } from './harness/canary';
import { chatPage, type ChatPage } from './pages/chat-page';
import { optionsPage } from './pages/options-page';
import { syncPage, type SyncPage } from './pages/sync-page';

// Two separate Chromium profiles with the built extension and one real relay process
// (relay/server.ts, SQLite in a temp dir): A creates the relay account, B is linked with
// passphrase + Secret Key; conversations, settings, edits and deletes travel both ways; the
// relay goes down, both edit, it comes back, both converge; the relay's files hold no text.
//
// Host permission: as in chat.e2e.test.ts, the build is copied and its manifest grants
// http://127.0.0.1/* (the permission prompt cannot be clicked headless); the real form
// still calls permissions.request, which then resolves without a prompt.

const PASS = 'correct horse battery staple sync';
const KEY = 'sk-e2e-sync-7Yq2Lm0pA1B2';
const canary = makeCanary('sync');

interface Profile {
  browser: Browser;
  open(file: string): Promise<Page>;
}

async function launch(extDir: string, userDataDir: string): Promise<Profile> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: true,
    userDataDir,
    args: CHROMIUM_ARGS,
  });
  const id = await browser.installExtension(extDir);
  await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url() === `chrome-extension://${id}/background.js`,
    { timeout: 30_000 },
  );
  return {
    browser,
    async open(file) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${id}/${file}`, { waitUntil: 'load' });
      return page;
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const titles = (chat: ChatPage) =>
  chat.page.$$eval(chat.tid('conv-item'), (els) => els.map((e) => e.textContent ?? ''));

/** Waits (without reloading: the page follows sync by itself) until the list matches. */
async function waitTitles(chat: ChatPage, ok: (t: string[]) => boolean, what: string) {
  await waitFor(async () => ok(await titles(chat)), what, 60_000);
}

async function openConversation(chat: ChatPage, startsWith: string) {
  await chat.page.bringToFront();
  const items = await chat.page.$$(chat.tid('conv-item'));
  for (const item of items) {
    const text = await item.evaluate((e) => e.textContent ?? '');
    if (text.startsWith(startsWith)) return item.click();
  }
  throw new Error(`no conversation starting with ${startsWith}`);
}

async function rename(chat: ChatPage, from: string, to: string) {
  await openConversation(chat, from);
  await chat.click('conv-rename');
  await chat.fill('conv-rename-input', to);
  await chat.click('conv-rename-save');
  await waitTitles(chat, (t) => t.includes(to), `renamed to ${to}`);
}

async function remove(chat: ChatPage, title: string) {
  await openConversation(chat, title);
  await chat.click('conv-delete');
  await chat.click('conv-delete-confirm');
  await waitTitles(chat, (t) => !t.some((x) => x.startsWith(title)), `${title} deleted`);
}

/** Reads the auto-lock setting from a freshly loaded options page. */
async function autoLock(sync: SyncPage): Promise<string> {
  await sync.page.bringToFront();
  await sync.page.reload({ waitUntil: 'load' });
  const el = await sync.visible('autolock-minutes');
  await sync.page.waitForFunction(
    (sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value !== '',
    { polling: 100 },
    sync.tid('autolock-minutes'),
  );
  return el!.evaluate((e) => (e as HTMLInputElement).value);
}

async function setAutoLock(sync: SyncPage, minutes: string) {
  await sync.page.bringToFront();
  await sync.fill('autolock-minutes', minutes);
  await sync.click('autolock-save');
  await sync.page.waitForFunction(
    (m) => document.body.innerText.includes(`locks after ${m} idle minutes`),
    { polling: 100 },
    minutes,
  );
}

describe('sync between two browsers (Chromium, built extension, real relay)', () => {
  const extDir = patchedBuild('nook-sync-ext-');
  const dirs = {
    a: fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-sync-a-')),
    b: fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-sync-b-')),
    relay: fs.mkdtempSync(path.join(os.tmpdir(), 'nook-e2e-sync-relay-')),
  };
  let relayEnv: Record<string, string>;
  let relay: RelayProcess | undefined;
  let relayUrl: string;
  let double: ProviderDouble;
  let a: Profile;
  let b: Profile;
  let chatA: ChatPage;
  let chatB: ChatPage;
  let syncA: SyncPage;
  let syncB: SyncPage;
  let secretKey: string;
  let accountId: string;

  const startRelay = async () => {
    relay = await spawnRelay(relayEnv);
    return relay.url;
  };
  const stopRelay = async () => {
    const r = relay;
    relay = undefined;
    if (r === undefined) return;
    r.child.kill('SIGTERM');
    await r.exited;
  };

  beforeAll(async () => {
    relayEnv = {
      NOOK_RELAY_HOST: '127.0.0.1',
      NOOK_RELAY_PORT: String(await freePort()),
      NOOK_RELAY_DATA_DIR: dirs.relay,
      NOOK_RELAY_PEPPER: randomBytes(32).toString('hex'),
      NOOK_RELAY_LOG_LEVEL: 'info',
    };
    relayUrl = await startRelay();
    double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
    a = await launch(extDir, dirs.a);
    b = await launch(extDir, dirs.b);
  });

  afterAll(async () => {
    await a?.browser.close();
    await b?.browser.close();
    await stopRelay();
    await double?.close();
    // Every directory here was made by this test.
    for (const d of [extDir, ...Object.values(dirs)]) {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('A: vault, provider, two conversations, a setting, then a relay account', async () => {
    chatA = chatPage(await a.open('sidepanel.html'));
    ({ secretKey } = await chatA.createVault(PASS));
    const o = optionsPage(await a.open('options.html'));
    await o.fillProvider({
      kind: 'openai',
      label: 'Double',
      apiKey: KEY,
      baseUrl: double.baseUrl('openai'),
      model: 'double-small',
    });
    await o.save('Double');
    syncA = syncPage(o.page);
    await setAutoLock(syncA, '42');

    await chatA.page.bringToFront();
    await chatA.page.reload({ waitUntil: 'load' });
    await chatA.visible('app-root');
    for (const text of [`Alpha ${canary} trip`, 'Bravo plans for the week']) {
      await chatA.page.bringToFront();
      await chatA.click('conv-new');
      await chatA.newConversation('Double', 'double-small');
      const prev = await chatA.send(text);
      await chatA.waitAnswered(prev);
    }
    await waitTitles(chatA, (t) => t.length === 2, 'two conversations in A');

    await syncA.page.bringToFront();
    // A remote plain-http relay is refused with the reason, before anything is sent.
    await syncA.fill('sync-relay-url', 'http://relay.example.org');
    await syncA.fill('sync-passphrase', PASS);
    await syncA.click('sync-create');
    expect(await syncA.text('sync-form-error')).toMatch(/plain http:\/\/ would expose/i);
    accountId = await syncA.createAccount(relayUrl, PASS, 'Browser A');
    expect(accountId).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(async () => (await syncA.lastSyncedAt()) > 0, 'A synced once', 60_000);
    await waitFor(async () => (await syncA.pending()) === 0, 'A has nothing pending', 60_000);
  }, 300_000);

  it('B: linked with passphrase + Secret Key; the conversations and the setting arrive', async () => {
    syncB = syncPage(await b.open('options.html'));
    await syncB.visible('link-section');
    // A wrong Secret Key is refused in plain words, and nothing is created.
    await syncB.submitLink({ relayUrl, accountId, secretKey: 'NK1-nonsense', passphrase: PASS });
    expect(await syncB.text('link-error')).toMatch(/secret key is not valid/i);
    await syncB.link({ relayUrl, accountId, secretKey, passphrase: PASS });

    chatB = chatPage(await b.open('sidepanel.html'));
    await chatB.page.bringToFront();
    await chatB.visible('app-root');
    await waitTitles(chatB, (t) => t.length === 2, 'both conversations in B');
    await openConversation(chatB, 'Alpha');
    await waitFor(
      async () => (await chatB.messages()).some((m) => m.text.includes(canary)),
      'the message text in B',
    );
    await waitFor(async () => (await autoLock(syncB)) === '42', 'the setting in B', 60_000);
    // API keys are not synced unless asked for.
    expect(await syncB.bodyText()).not.toContain('Double');
    await syncB.page.bringToFront();
    const devices = await syncB.devices();
    expect(devices.join('\n')).toMatch(/Browser A/);
    expect(devices.join('\n')).toMatch(/this browser/);
  });

  it('an edit and a delete propagate both ways', async () => {
    await rename(chatB, 'Alpha', 'Alpha renamed in B');
    await waitTitles(chatA, (t) => t.includes('Alpha renamed in B'), 'B → A rename');

    await rename(chatA, 'Bravo', 'Bravo renamed in A');
    await waitTitles(chatB, (t) => t.includes('Bravo renamed in A'), 'A → B rename');

    await remove(chatA, 'Bravo renamed in A');
    await waitTitles(chatB, (t) => !t.includes('Bravo renamed in A'), 'A → B delete');

    await rename(chatA, 'Alpha renamed in B', 'Alpha again');
    await waitTitles(chatB, (t) => t.includes('Alpha again'), 'A → B second rename');
    await remove(chatB, 'Alpha again');
    await waitTitles(chatA, (t) => t.length === 0, 'B → A delete');
  });

  it('the relay goes down, both edit, it comes back: both converge, nothing lost', async () => {
    await chatA.newConversation('Double', 'double-small');
    const prev = await chatA.send('Charlie notes');
    await chatA.waitAnswered(prev);
    await waitTitles(chatB, (t) => t.some((x) => x.startsWith('Charlie')), 'Charlie in B');

    await stopRelay();
    await rename(chatA, 'Charlie', 'Charlie offline A');
    await chatA.page.bringToFront();
    await chatA.newConversation('Double', 'double-small');
    const prev2 = await chatA.send('Delta written offline');
    await chatA.waitAnswered(prev2);
    await setAutoLock(syncB, '17');
    await rename(chatB, 'Charlie', 'Charlie offline B');
    await waitFor(async () => (await syncB.pending()) > 0, 'B has changes waiting', 60_000);
    // Said once the pass has spent its retries (backoff: about 8-15 s).
    await waitFor(
      async () => /cannot be reached|not available/i.test(await syncB.error()),
      'B says the relay cannot be reached',
      60_000,
    );

    await startRelay();
    await waitTitles(
      chatB,
      (t) => t.some((x) => x.startsWith('Delta')),
      'A’s offline conversation in B',
    );
    await waitFor(async () => (await autoLock(syncA)) === '17', 'B’s offline setting in A', 90_000);
    await waitFor(
      async () => {
        const [ta, tb] = [(await titles(chatA)).sort(), (await titles(chatB)).sort()];
        return ta.length === 2 && JSON.stringify(ta) === JSON.stringify(tb);
      },
      'both lists equal',
      90_000,
    );
    const charlie = (await titles(chatA)).find((t) => t.startsWith('Charlie'));
    // Same field edited on both sides: last writer wins, the same on both.
    expect(['Charlie offline A', 'Charlie offline B']).toContain(charlie);
    await waitFor(async () => (await syncB.pending()) === 0, 'B drained', 60_000);
    expect(await syncB.error()).toBe('');
  });

  it('privacy: the relay’s SQLite files hold no message text in any encoding', async () => {
    await stopRelay();
    const files = fs.readdirSync(dirs.relay);
    expect(files.some((f) => f.endsWith('.sqlite') || f.endsWith('.db'))).toBe(true);
    expect(scanFiles(dirs.relay, canary)).toEqual([]);
    expect(scanFiles(dirs.relay, 'Charlie offline')).toEqual([]);
    expect(scanFiles(dirs.relay, KEY)).toEqual([]);
  });
});
