import { describe, expect, it } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import { testVault } from '../tools/test-kit';
import { createMemoryStore, MemoryError } from './memory-store';
import { createSaveMemoryTool } from './save-memory-tool';

async function setup() {
  const vault = await testVault();
  const { repos, table } = createMemoryRepos(() => vault);
  let t = 1000;
  let n = 0;
  const store = createMemoryStore({ repo: repos.memory, now: () => ++t, newId: () => `m${++n}` });
  return { store, table: table('memory'), repos };
}

describe('memory store', () => {
  it('adds, lists newest first, updates, removes and clears, all encrypted', async () => {
    const { store, table } = await setup();
    let changes = 0;
    store.subscribe(() => changes++);
    const a = await store.add({ text: '  Prefers   metric units ', source: 'user' });
    const b = await store.add({ text: 'Works on Nook', conversationId: 'c1', source: 'model' });
    expect(a.text).toBe('Prefers metric units');
    expect((await store.list()).map((e) => e.id)).toEqual([b.id, a.id]);
    const raw = JSON.stringify([...(await table.query({ kind: 'all' }))].map((r) => [...r.env]));
    expect(raw).not.toContain('metric');
    const edited = await store.update(a.id, 'Prefers imperial units');
    expect(edited.createdAt).toBe(a.createdAt);
    expect(edited.updatedAt).toBeGreaterThan(a.updatedAt);
    await store.remove(b.id);
    expect((await store.list()).map((e) => e.text)).toEqual(['Prefers imperial units']);
    await store.clear();
    expect(await store.list()).toEqual([]);
    expect(changes).toBe(5);
  });

  it('refuses empty and over-long text and unknown ids with typed errors', async () => {
    const { store } = await setup();
    await expect(store.add({ text: '   ', source: 'user' })).rejects.toBeInstanceOf(MemoryError);
    await expect(store.add({ text: 'x'.repeat(501), source: 'user' })).rejects.toMatchObject({
      code: 'too-long',
    });
    await expect(store.update('nope', 'x')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('save_memory stores the fact with its conversation and reports a bad argument', async () => {
    const { store } = await setup();
    const tool = createSaveMemoryTool(store);
    const ctx = { conversationId: 'c9', messageId: 'm', signal: new AbortController().signal };
    const out = await tool.run({ text: 'Likes tea' }, ctx);
    expect(out.isError).toBeFalsy();
    const [entry] = await store.list();
    expect(entry).toMatchObject({ text: 'Likes tea', conversationId: 'c9', source: 'model' });
    expect(out.display).toEqual({ entryId: entry?.id, text: 'Likes tea' });
    const bad = await tool.run({ text: 42 }, ctx);
    expect(bad).toMatchObject({ isError: true, content: 'A memory needs some text.' });
  });
});
