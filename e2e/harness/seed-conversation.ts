/**
 * Puts a long conversation straight into a page's IndexedDB, sealed with the page's own
 * vault keys, so a test or bench can open 1,000 messages without chatting them first.
 */
import type { Page } from 'puppeteer';
import { sealJson, unlockVault, type UnlockedVault, type VaultHeader } from '../../shared/crypto';
import type { Conversation, Message } from '../../extension/core/models';

/** One IndexedDB row for `store`, its envelope as plain numbers (it crosses into the page). */
export interface SeedRow {
  store: 'conversations' | 'messages';
  row: Record<string, unknown>;
}

/** What to seal: a conversation of `n` messages, timed from `t0`. */
export interface SeedConversation {
  id: string;
  title: string;
  n: number;
  t0: number;
  /** The id of message `i`. */
  messageId: (i: number) => string;
  /** The text of message `i` (vary the length: heights vary in a real chat). */
  content: (i: number) => string;
}

/** Reads the page's vault header and Secret Key from IndexedDB and unlocks it in Node. */
export async function unlockPageVault(
  page: Page,
  passphrase: string,
): Promise<{ vault: UnlockedVault; header: VaultHeader }> {
  const meta = await page.evaluate(async () => {
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
  return { vault: await unlockVault(header, passphrase, meta.secretKey as string), header };
}

/** Seals the conversation and its messages with the vault's own keys, as IndexedDB rows. */
export async function sealConversation(
  vault: UnlockedVault,
  spec: SeedConversation,
): Promise<SeedRow[]> {
  const ctx = (collection: 'conversations' | 'messages', id: string) => ({
    vaultId: vault.vaultId,
    collection,
    recordId: id,
    revision: 1,
    deleted: false,
  });
  const { id, title, n, t0 } = spec;
  const conv: Conversation = { id, title, createdAt: t0, updatedAt: t0 + n };
  const rows: SeedRow[] = [
    {
      store: 'conversations',
      row: {
        id,
        rev: 1,
        deleted: 0,
        updatedAt: conv.updatedAt,
        createdAt: t0,
        env: Array.from(await sealJson(vault.keys.conversations, ctx('conversations', id), conv)),
      },
    },
  ];
  for (let i = 0; i < n; i++) {
    const m: Message = {
      id: spec.messageId(i),
      conversationId: id,
      role: i % 2 ? 'assistant' : 'user',
      content: spec.content(i),
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
        conversationId: id,
        env: Array.from(await sealJson(vault.keys.messages, ctx('messages', m.id), m)),
      },
    });
  }
  return rows;
}

/** Writes sealed rows into the page's database in one transaction. */
export async function writeRows(page: Page, rows: SeedRow[]): Promise<void> {
  await page.evaluate(async (rows) => {
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
}
