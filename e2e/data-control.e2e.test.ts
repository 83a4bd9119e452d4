import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderDouble, type ProviderDouble } from './doubles/provider-double';
import { patchedBuild } from './harness/chat-extension';
import { waitFor } from './harness/browser';
import { chatPage } from './pages/chat-page';
import { optionsPage } from './pages/options-page';
import { chromium, type LaunchedExtension } from './pages/targets';

// Data controls in the built extension against the provider double: a budget that holds a
// send until "Send anyway", memory in Options, export → Delete all data (checked raw) →
// a new vault → import, and a tampered import refused.

const KEY = 'sk-e2e-data-7Hq2Lm9xZ4';
const PASS = 'correct horse battery staple data';
const PASS2 = 'another good passphrase for data';
const tid = (id: string) => `[data-testid="${id}"]`;

/** The import panel's file input. */
async function fileInput(page: Page): Promise<ElementHandle<HTMLInputElement>> {
  const input = await page.$(tid('import-file'));
  if (!input) throw new Error('no import file input');
  return input as ElementHandle<HTMLInputElement>;
}

/** Everything in IndexedDB and both storage areas, as seen from an extension page. */
async function rawLeftovers(page: Page) {
  return page.evaluate(async () => {
    type Area = { get(k: null): Promise<Record<string, unknown>> };
    const c = (globalThis as unknown as { chrome: { storage: { local: Area; session: Area } } })
      .chrome;
    return {
      databases: (await indexedDB.databases()).map((d) => d.name),
      local: Object.keys(await c.storage.local.get(null)),
      session: Object.keys(await c.storage.session.get(null)),
    };
  });
}

/** Waits until the element's text matches (status lines update after an await). */
async function until(o: { text(id: string): Promise<string> }, id: string, re: RegExp) {
  await waitFor(async () => re.test(await o.text(id)), `${id} ~ ${re}`);
}

async function waitForDownload(dir: string, suffix: string): Promise<string> {
  const name = await waitFor(
    async () => fs.readdirSync(dir).find((f) => f.endsWith(suffix) && !f.endsWith('.crdownload')),
    `download ${suffix}`,
  );
  return path.join(dir, name);
}

describe('data controls (Chromium, built extension)', () => {
  let double: ProviderDouble;
  let ext: LaunchedExtension;
  const extDir = patchedBuild('nook-data-ext-');
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'nook-data-dl-'));
  const marker = `okapi${Date.now().toString(36)}`;
  let exported = '';

  beforeAll(async () => {
    double = await createProviderDouble({ apiKey: KEY, host: '127.0.0.1' });
    ext = await chromium.launch({ extensionDir: extDir, downloads });
    const o = optionsPage(await ext.openPage('options.html'));
    await o.createVault(PASS);
    await o.fillProvider({
      kind: 'openai',
      label: 'OpenAI double',
      apiKey: KEY,
      baseUrl: double.baseUrl('openai'),
      model: 'double-small',
    });
    await o.save('OpenAI double');
    await o.page.close();
  });
  afterAll(async () => {
    await ext?.close();
    await double?.close();
    for (const d of [extDir, downloads]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a monthly budget holds a send at 100 % and "Send anyway" lets one through', async () => {
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('usage-section');
    // A price for the double's model, then refused inputs, then a tiny budget.
    await o.fill('price-model', 'double-small');
    await o.fill('price-input', '-1');
    await o.fill('price-output', '1000');
    await o.click('price-save');
    await until(o, 'price-status', /cannot be negative/);
    await o.fill('price-input', '1000');
    await o.click('price-save');
    await until(o, 'price-status', /Saved the price of double-small/);
    await o.fill('budget-input', '0');
    await o.click('budget-save');
    await until(o, 'budget-status', /more than \$0/);
    await o.fill('budget-input', '0.01');
    await o.click('budget-save');
    await until(o, 'budget-status', /Saved: \$0\.01 a month/);

    const chat = chatPage(await ext.openPage('sidepanel.html'));
    await chat.visible('composer-input');
    double.script({
      kind: 'text',
      text: 'First answer.',
      usage: { inputTokens: 11, outputTokens: 7 },
    });
    let prev = await chat.send(`${marker} first`);
    await chat.waitAnswered(prev);
    const posts = () => double.requests.filter((r) => r.method === 'POST').length;
    const before = posts();
    await chat.send('second message, over budget');
    await chat.visible('budget-blocked');
    await until(chat, 'budget-blocked', /budget for OpenAI double reached/);
    expect(
      await chat.page.$eval(tid('composer-input'), (e) => (e as HTMLTextAreaElement).value),
    ).toBe('second message, over budget');
    await new Promise((r) => setTimeout(r, 300));
    expect(posts()).toBe(before);
    prev = await chat.lastId();
    await chat.click('budget-override');
    await chat.waitAnswered(prev);
    expect(posts()).toBe(before + 1);
    // The override was for that message only.
    await chat.send('third message');
    await chat.visible('budget-blocked');
    expect(posts()).toBe(before + 1);
    await chat.page.close();
    await o.page.close();
  });

  it('memory: add, search, edit, delete in Options', async () => {
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('memory-section');
    await o.fill('memory-add-input', `Prefers metric units ${marker}`);
    await o.click('memory-add');
    await o.fill('memory-add-input', 'Has a cat named Miso');
    await o.click('memory-add');
    await waitFor(async () => (await o.page.$$(tid('memory-item'))).length === 2, 'two memories');
    await o.fill('memory-search', 'miso');
    await waitFor(async () => (await o.page.$$(tid('memory-item'))).length === 1, 'search');
    await o.click('memory-edit');
    await o.fill('memory-edit-input', 'Has two cats');
    await o.click('memory-edit-save');
    await o.fill('memory-search', '');
    await waitFor(async () => (await o.bodyText()).includes('Has two cats'), 'edited memory');
    await o.fill('memory-add-input', 'Temporary fact to delete');
    await o.click('memory-add');
    await waitFor(async () => (await o.page.$$(tid('memory-item'))).length === 3, 'three memories');
    // Newest first: the temporary fact is the first item.
    await o.click('memory-delete');
    await waitFor(async () => !(await o.bodyText()).includes('Temporary fact'), 'deleted memory');
    expect((await o.page.$$(tid('memory-item'))).length).toBe(2);
    await o.page.close();
  });

  it('export, Delete all data (nothing left, checked raw), new vault, import everything back', async () => {
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('data-section');
    await o.click('export-format-json');
    await o.click('export-start');
    await o.visible('export-result');
    exported = await waitForDownload(downloads, '.json');
    const text = fs.readFileSync(exported, 'utf8');
    expect(text).toContain(marker);
    expect(text).not.toContain(KEY); // keys only ever go into an encrypted bundle

    // Close every other Nook page, then wipe.
    for (const p of await ext.browser.pages())
      if (p !== o.page && p.url().startsWith(ext.origin)) await p.close();
    await o.fill('delete-all-confirm', 'DELETE');
    await o.click('delete-all');
    await o.visible('wiped');
    expect(await rawLeftovers(o.page)).toEqual({ databases: [], local: [], session: [] });

    // Back to first run; a new vault; import the export.
    await o.click('wiped-restart');
    await o.visible('setup-passphrase');
    await o.createVault(PASS2);
    await o.visible('data-section');
    await (await fileInput(o.page)).uploadFile(exported);
    await waitFor(async () => (await o.text('import-kind')).includes('Nook export'), 'kind');
    await o.click('import-start');
    await waitFor(async () => (await o.text('import-result')).includes('added'), 'import result');
    await o.page.reload({ waitUntil: 'load' });
    await o.visible('memory-section');
    await waitFor(async () => (await o.bodyText()).includes('Has two cats'), 'memory restored');
    // Importing the same file again adds nothing.
    await (await fileInput(o.page)).uploadFile(exported);
    await waitFor(async () => (await o.text('import-kind')).includes('Nook export'), 'kind');
    await o.click('import-start');
    await waitFor(
      async () => (await o.text('import-result')).includes('Nothing new'),
      'second import',
    );

    const chat = chatPage(await ext.openPage('sidepanel.html'));
    await waitFor(
      async () => (await chat.conversationTitles()).some((t) => t.includes(marker)),
      'conversation restored',
    );
    await chat.page.close();
    await o.page.close();
  });

  it('a newer-version or prototype-polluting import is refused with a clear message', async () => {
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('data-section');
    const doc = JSON.parse(fs.readFileSync(exported, 'utf8')) as Record<string, unknown>;
    const bad = path.join(downloads, 'newer.json');
    fs.writeFileSync(bad, JSON.stringify({ ...doc, schemaVersion: 99, conversations: [] }));
    await (await fileInput(o.page)).uploadFile(bad);
    await o.visible('import-kind');
    await o.click('import-start');
    await waitFor(
      async () => (await o.text('import-result')).includes('newer version of Nook'),
      'refusal',
    );
    const polluted = path.join(downloads, 'proto.json');
    fs.writeFileSync(
      polluted,
      JSON.stringify(doc).replace('"title":', '"__proto__":{"x":1},"title":'),
    );
    await (await fileInput(o.page)).uploadFile(polluted);
    // Refused as soon as it is read, before Import is pressed.
    await waitFor(async () => (await o.text('import-result')).includes('field name'), 'refusal');
    await o.page.close();
  });
});
