import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness/browser';
import { chatPage } from './pages/chat-page';
import { optionsPage } from './pages/options-page';
import { chromium, type LaunchedExtension } from './pages/targets';

// Two things other pages must do when the vault or the data goes away, in the built
// extension: "My prompts" (user-written names) leaves the context menu while locked, and
// "Delete all data" with a side panel still open leaves no database behind.

const PASS = 'correct horse battery staple menus';
const PROMPT_NAME = 'Reply to my landlord about the deposit';

/** Whether the "My prompts" menu exists (update() rejects for an unknown id). */
const myPromptsShown = (page: Page) =>
  page.evaluate(() => {
    const c = (
      globalThis as unknown as {
        chrome: { contextMenus: { update(id: string, p: object): Promise<void> } };
      }
    ).chrome;
    return c.contextMenus.update('nook-my-prompts', {}).then(
      () => true,
      () => false,
    );
  });
const databases = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

describe('lock and wipe with several Nook pages (Chromium, built extension)', () => {
  let ext: LaunchedExtension;

  beforeAll(async () => {
    ext = await chromium.launch();
  });
  afterAll(async () => {
    await ext?.close();
  });

  it('"My prompts" leaves the context menu on lock and comes back after unlock', async () => {
    const chat = chatPage(await ext.openPage('sidepanel.html'));
    await chat.createVault(PASS);
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('prompts-section');
    await o.fill('prompt-name', PROMPT_NAME);
    await o.fill('prompt-template', 'Draft a polite reply: {{selection}}');
    await o.click('prompt-save');
    await o.visible('prompt-item');
    await waitFor(() => myPromptsShown(o.page), 'My prompts in the menu');

    await chat.page.bringToFront();
    await chat.lockNow();
    await waitFor(async () => !(await myPromptsShown(o.page)), 'My prompts gone after lock');

    await chat.unlockExpectingApp(PASS);
    await waitFor(() => myPromptsShown(o.page), 'My prompts back after unlock');
    await o.page.close();
    await chat.page.close();
  });

  it('"Delete all data" with a side panel open: the panel stops, and no database is recreated', async () => {
    const panel = chatPage(await ext.openPage('sidepanel.html'));
    await panel.visible('app-root');
    const o = optionsPage(await ext.openPage('options.html'));
    await o.visible('data-section');
    expect(await databases(o.page)).toContain('nook');

    await o.fill('delete-all-confirm', 'DELETE');
    await o.click('delete-all');
    await o.visible('wiped');
    // The open panel reloads to the first-run screen, and reading "no vault" creates nothing.
    await panel.page.bringToFront();
    await panel.visible('setup-passphrase');
    expect(await databases(panel.page)).toEqual([]);
    expect(await myPromptsShown(panel.page)).toBe(false);

    // Setting up again from the panel works (the database is created only now).
    await panel.createVault(PASS);
    await panel.visible('app-root');
    expect(await databases(panel.page)).toContain('nook');
  });
});
