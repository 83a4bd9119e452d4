import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  createAtomicWriter,
  createMemoryRowStore,
  type RowStore,
} from '../../adapters/data/atomic-writer';
import { createDataService } from './data-service';
import { freshStore, seedVaried, source } from './data-test-kit';
import { MAX_IMPORT_BYTES } from './errors';
import { ZIP_DATA_FILE } from './markdown-zip';

async function seeded() {
  const s = await freshStore();
  await seedVaried(s, 12);
  return s;
}

/** Imports `content` and expects a DataError with `code`, the store unchanged, no pollution. */
async function refused(content: Uint8Array | string, code: string, passphrase?: string) {
  const s = await seeded();
  const before = await s.snapshot();
  const error = await s.data.importFile(source(content), passphrase ? { passphrase } : {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'DataControlError', code });
  expect((error as Error).message).toMatch(/\.|Nothing was imported/);
  expect(await s.snapshot()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  return error as Error;
}

async function validExport(): Promise<Record<string, unknown>> {
  const s = await seeded();
  const file = await s.data.exportAs('json');
  return JSON.parse(new TextDecoder().decode(file.bytes)) as Record<string, unknown>;
}

describe('hostile imports are refused with the store unchanged', () => {
  it('wrong kind of file', async () => {
    await refused('{"hello":"world"}', 'wrong-kind');
    await refused('[1,2,3]', 'wrong-kind');
    await refused('not json at all', 'not-json');
  });

  it('a newer schema version', async () => {
    const doc = await validExport();
    const e = await refused(JSON.stringify({ ...doc, schemaVersion: 99 }), 'newer-version');
    expect(e.message).toContain('newer version of Nook');
  });

  it('a record that breaks the schema, anywhere in the file (nothing half-imported)', async () => {
    const doc = await validExport();
    const messages = doc.messages as Record<string, unknown>[];
    messages.push({ ...messages[0], id: 'bad', role: 'wizard' });
    await refused(JSON.stringify({ ...doc, messages }), 'invalid');
  });

  it('a message whose conversation is missing', async () => {
    const doc = await validExport();
    const messages = doc.messages as Record<string, unknown>[];
    messages.push({ ...messages[0], id: 'orphan', conversationId: 'nowhere' });
    await refused(JSON.stringify({ ...doc, messages }), 'invalid');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a "%s" key at any depth', async (key) => {
    const doc = await validExport();
    const text = JSON.stringify(doc).replace('"title":', `"${key}":{"polluted":true},"title":`);
    await refused(text, 'forbidden-key');
  });

  it('a truncated zip', async () => {
    const s = await seeded();
    const zip = (await s.data.exportAs('markdown')).bytes;
    await refused(zip.slice(0, Math.floor(zip.length / 2)), 'bad-zip');
  });

  it('a zip bomb, honest or with headers that understate its size', async () => {
    // 4 × 40 MB of one letter: a few hundred kB compressed, over the cap once inflated.
    const bomb = new Uint8Array(40 * 1024 * 1024).fill(0x41);
    const honest = zipSync(
      {
        [ZIP_DATA_FILE]: bomb,
        'conversations/a.md': bomb,
        'conversations/b.md': bomb,
        'conversations/c.md': bomb,
      },
      { level: 9 },
    );
    expect(honest.length).toBeLessThan(1024 * 1024);
    await refused(honest, 'too-large');
    // The same zip claiming 100 bytes per entry (local and central headers): the inflater
    // writes into a buffer of the declared size and never grows it, so nothing big is made
    // and the cut-off file is refused as damaged.
    const liar = honest.slice();
    const view = new DataView(liar.buffer);
    for (let i = 0; i + 4 <= liar.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50) view.setUint32(i + 22, 100, true);
      if (sig === 0x02014b50) view.setUint32(i + 24, 100, true);
    }
    const error = await refused(liar, 'not-json');
    expect(error.message).not.toContain('AAAA');
  });

  it('a tampered bundle, a wrong passphrase, and a weakened bundle header', async () => {
    const s = await seeded();
    const text = new TextDecoder().decode(
      (await s.data.exportAs('bundle', { passphrase: 'right passphrase' })).bytes,
    );
    const bundle = JSON.parse(text) as Record<string, string>;
    const ct = bundle.ciphertext as string;
    const flipped = (ct[40] === 'A' ? 'B' : 'A') as string;
    const tampered = { ...bundle, ciphertext: ct.slice(0, 40) + flipped + ct.slice(41) };
    await refused(JSON.stringify(tampered), 'wrong-passphrase', 'right passphrase');
    await refused(text, 'wrong-passphrase', 'wrong passphrase!');
    const swappedSalt = { ...bundle, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    await refused(JSON.stringify(swappedSalt), 'wrong-passphrase', 'right passphrase');
    const weak = {
      ...bundle,
      kdf: { alg: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 },
    };
    await refused(JSON.stringify(weak), 'bad-bundle', 'right passphrase');
    await refused(JSON.stringify({ ...bundle, version: 7 }), 'newer-version', 'right passphrase');
  });

  it('a file over the size limit (100 MB of JSON) is refused before it is read', async () => {
    const s = await seeded();
    const before = await s.snapshot();
    let read = false;
    const big = {
      name: 'big.json',
      size: 100 * 1024 * 1024,
      bytes: async () => ((read = true), new Uint8Array()),
    };
    await expect(s.data.importFile(big)).rejects.toMatchObject({ code: 'too-large' });
    expect(read).toBe(false);
    // And a source that lies about its size is caught once read.
    const liar = {
      name: 'liar.json',
      size: 10,
      bytes: async () => new Uint8Array(MAX_IMPORT_BYTES + 1),
    };
    await expect(s.data.importFile(liar)).rejects.toMatchObject({ code: 'too-large' });
    expect(await s.snapshot()).toEqual(before);
  });

  it('a concurrent change between sealing and committing aborts the whole import', async () => {
    const doc = await validExport();
    const fresh = await freshStore();
    const rows = createMemoryRowStore(fresh.table);
    const racing: RowStore = {
      read: rows.read,
      async commit(batches) {
        // Another window writes one of the records after this import sealed its rows.
        await fresh.repos.conversations.put('conv-0', {
          id: 'conv-0',
          title: 'changed elsewhere',
          createdAt: 1,
          updatedAt: 2,
        });
        return rows.commit(batches);
      },
    };
    const data = createDataService({
      repos: fresh.repos,
      writer: createAtomicWriter(racing, () => fresh.vault),
    });
    const before = await fresh.snapshot();
    await expect(data.importFile(source(JSON.stringify(doc)))).rejects.toMatchObject({
      code: 'conflict',
    });
    const after = (await fresh.snapshot()) as Record<string, unknown[]>;
    for (const name of ['messages', 'memory', 'settings', 'secrets', 'personas', 'usage']) {
      expect(after[name]).toEqual((before as Record<string, unknown[]>)[name]);
    }
    expect(after.conversations).toHaveLength(1); // only the other window's write
  });
});

describe('ChatGPT conversations.json', () => {
  const fixture = readFileSync(
    new URL('../../../e2e/fixtures/chatgpt/conversations.json', import.meta.url),
    'utf8',
  );

  it('imports the visible branch of each conversation, idempotently', async () => {
    const s = await freshStore();
    const first = await s.data.importFile(source(fixture, 'conversations.json'));
    expect(first.kind).toBe('chatgpt');
    const convs = (await s.repos.conversations.list()).flatMap((r) => (r.ok ? [r.value] : []));
    expect(convs.map((c) => c.title).sort()).toEqual(['Résumé tips ✨', 'Sort a list']);
    const msgs = (await s.repos.messages.list()).flatMap((r) => (r.ok ? [r.value] : []));
    const resume = msgs
      .filter((m) => m.conversationId === 'chatgpt-6630a1b2-0000-4000-8000-000000000001')
      .sort((a, b) => a.createdAt - b.createdAt);
    expect(resume.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(resume[1]?.content).toContain('```python');
    expect(resume[2]?.content).toContain('[image not imported]');
    expect(msgs.some((m) => m.content.includes('Old answer'))).toBe(false);
    expect(msgs.some((m) => m.content === '[1, 2, 3]')).toBe(false); // tool output
    const again = await s.data.importFile(source(fixture, 'conversations.json'));
    expect(again).toMatchObject({ added: 0, updated: 0 });
  });
});
