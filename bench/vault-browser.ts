import { sealJson, unlockVault, type VaultHeader } from '../shared/crypto';
import type { Conversation, Message } from '../extension/core/models';
import { launchWithExtension, waitFor } from '../e2e/harness/browser';
import { vaultPage } from '../e2e/pages/vault-page';
import { percentile, round } from './stats';
import type { BenchResult } from './types';

const PASSPHRASE = 'bench passphrase for the browser vault';
const N_MESSAGES = 1000;

/**
 * Vault figures in headless Chromium with the built extension: unlock at the calibrated
 * parameters (click → app shown, median of 5), and opening a 1,000-message conversation
 * (click → last message on screen). The conversation is sealed in Node with the vault's
 * own keys and written raw into IndexedDB, exactly as the extension would store it.
 */
export async function benchVaultBrowser(): Promise<BenchResult[]> {
  const ext = await launchWithExtension();
  try {
    const v = vaultPage(await ext.openPage('sidepanel.html'));
    await v.createVault(PASSPHRASE);
    const unlocks: number[] = [];
    for (let i = 0; i < 5; i++) {
      await v.lockNow();
      await v.fill('unlock-passphrase', PASSPHRASE);
      const t = performance.now();
      await v.click('unlock-submit');
      await v.visible('app-root', 60_000);
      unlocks.push(performance.now() - t);
    }
    const meta = await v.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('nook');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      // No named inner functions: tsx's keepNames would wrap them in a page-less __name().
      const [header, secretKey] = await Promise.all(
        ['header', 'secretKey'].map(
          (key) =>
            new Promise<unknown>((res, rej) => {
              const r = db.transaction('meta').objectStore('meta').get(key);
              r.onsuccess = () => res((r.result as { value: unknown } | undefined)?.value);
              r.onerror = () => rej(r.error);
            }),
        ),
      );
      const out = { header, secretKey };
      db.close();
      return out;
    });
    const header = meta.header as VaultHeader;
    const vault = await unlockVault(header, PASSPHRASE, meta.secretKey as string);
    const kdf = header.kdf;

    const conversationId = 'bench-conversation';
    const t0 = Date.UTC(2026, 0, 1);
    const conv: Conversation = {
      id: conversationId,
      title: 'Bench conversation',
      createdAt: t0,
      updatedAt: t0 + N_MESSAGES,
    };
    const ctx = (collection: 'conversations' | 'messages', id: string) => ({
      vaultId: vault.vaultId,
      collection,
      recordId: id,
      revision: 1,
      deleted: false,
    });
    const rows: { store: string; row: Record<string, unknown> }[] = [
      {
        store: 'conversations',
        row: {
          id: conv.id,
          rev: 1,
          deleted: 0,
          updatedAt: conv.updatedAt,
          createdAt: t0,
          env: Array.from(
            await sealJson(vault.keys.conversations, ctx('conversations', conv.id), conv),
          ),
        },
      },
    ];
    for (let i = 0; i < N_MESSAGES; i++) {
      const m: Message = {
        id: `bench-m${String(i).padStart(5, '0')}`,
        conversationId,
        role: i % 2 ? 'assistant' : 'user',
        content: `Bench message ${i}. ${'Some ordinary prose in a long chat. '.repeat(4 + (i % 12))}`,
        createdAt: t0 + i,
        status: 'complete',
      };
      rows.push({
        store: 'messages',
        row: {
          id: m.id,
          rev: 1,
          deleted: 0,
          updatedAt: m.createdAt,
          createdAt: m.createdAt,
          conversationId,
          env: Array.from(await sealJson(vault.keys.messages, ctx('messages', m.id), m)),
        },
      });
    }
    await v.page.evaluate(async (rows) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('nook');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      for (const { store, row } of rows)
        tx.objectStore(store).put({ ...row, env: new Uint8Array(row.env as number[]) });
      await new Promise((res, rej) => {
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    }, rows);

    const lastText = `Bench message ${N_MESSAGES - 1}.`;
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) {
      await v.page.reload({ waitUntil: 'load' });
      await v.visible('app-root');
      const item = await waitFor(async () => {
        for (const el of await v.page.$$(v.tid('conv-item')))
          if (
            (await el.evaluate((e) => (e as HTMLElement).innerText)).includes('Bench conversation')
          )
            return el;
        return undefined;
      }, 'the bench conversation in the list');
      const t = performance.now();
      await item.click();
      await v.page.waitForFunction(
        (text) => document.body.innerText.includes(text),
        { timeout: 60_000, polling: 'mutation' },
        lastText,
      );
      opens.push(performance.now() - t);
    }
    return [
      {
        name: `unlock in Chromium (Argon2id ${kdf.memoryKiB / 1024} MiB / t=${kdf.iterations} / p=${kdf.parallelism}, calibrated; target ≤ 1,000 ms)`,
        unit: 'ms',
        p50: round(percentile(unlocks, 50)),
        p95: round(percentile(unlocks, 95)),
      },
      {
        name: 'open a 1,000-message conversation in the side panel (click → last message shown; target ≤ 100 ms)',
        unit: 'ms',
        p50: round(percentile(opens, 50)),
        p95: round(percentile(opens, 95)),
      },
    ];
  } finally {
    await ext.close();
  }
}
