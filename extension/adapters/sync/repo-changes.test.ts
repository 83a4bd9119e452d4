/** Which records a Dexie write touched, as the sync runner learns it (real Dexie events). */
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { RepoChange } from '../../core/sync-bridge/ports';
import { openNookDb, type RecordRow } from '../db/schema';
import { repoChanges } from './repo-changes';

const TABLES = new Set(['conversations', 'messages']);
const row = (id: string): RecordRow => ({
  id,
  rev: 1,
  deleted: 0,
  updatedAt: 1,
  env: new Uint8Array([1]),
});

let off: (() => void) | undefined;
afterEach(() => off?.());

/** Collects the changes Dexie reports for `db` while `fn` runs. */
async function changesDuring(fn: (db: ReturnType<typeof openNookDb>) => Promise<unknown>) {
  const db = openNookDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  await db.open();
  const seen: RepoChange[] = [];
  const listener = (parts: Record<string, unknown>) =>
    seen.push(...repoChanges(db.name, TABLES, parts));
  Dexie.on.storagemutated.subscribe(listener);
  off = () => Dexie.on.storagemutated.unsubscribe(listener);
  await fn(db);
  await new Promise((r) => setTimeout(r, 20));
  db.close();
  return seen;
}

describe('repo changes from Dexie storage events', () => {
  it('names the ids of single writes and deletes', async () => {
    const seen = await changesDuring(async (db) => {
      await db.messages.put(row('m1'));
      await db.messages.bulkPut([row('m2'), row('m3')]);
      await db.conversations.delete('c9');
    });
    const ids = (c: string) => seen.filter((s) => s.collection === c).flatMap((s) => s.ids ?? []);
    expect(ids('messages').sort()).toEqual(['m1', 'm2', 'm3']);
    expect(ids('conversations')).toEqual(['c9']);
    expect(seen.every((s) => s.ids !== undefined)).toBe(true);
  });

  it('a bulk write or a clear means "unknown which"; other tables are ignored', async () => {
    const seen = await changesDuring(async (db) => {
      await db.messages.bulkPut(Array.from({ length: 60 }, (_, i) => row(`m${i}`)));
      await db.conversations.clear();
      await db.usage.put(row('u1'));
    });
    expect(seen.filter((s) => s.collection === 'messages').some((s) => s.ids === undefined)).toBe(
      true,
    );
    expect(seen.filter((s) => s.collection === 'conversations')).toEqual([
      { collection: 'conversations', ids: undefined },
    ]);
    expect(seen.some((s) => !TABLES.has(s.collection))).toBe(false);
  });

  it('reads relayed (plain-object) trees and refuses odd shapes', () => {
    const parts = {
      'idb://nook/messages/': { from: 'b', to: 'b', d: 2, l: { from: 'a', to: 'a', d: 1 } },
      'idb://nook/conversations/': { from: 'a', to: 'z', d: 1 },
      'idb://other/messages/': { from: 'x', to: 'x', d: 1 },
    };
    expect(repoChanges('nook', TABLES, parts)).toEqual([
      { collection: 'messages', ids: ['b', 'a'] },
      { collection: 'conversations', ids: undefined },
    ]);
  });
});
