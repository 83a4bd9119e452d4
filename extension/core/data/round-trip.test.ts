import { describe, expect, it } from 'vitest';
import { freshStore, seedVaried, source } from './data-test-kit';
import { collectExport } from './export-data';
import type { ExportFormat } from './data-service';

const PASS = 'bundle passphrase 42';

/** Everything stored, as an export minus its timestamp (and keys unless asked). */
async function contents(store: Awaited<ReturnType<typeof freshStore>>, includeKeys = true) {
  const { data } = await collectExport(store.repos, { includeKeys, now: () => 0 });
  return data;
}

describe('export → wipe → import round trip', () => {
  it.each<[ExportFormat, boolean]>([
    ['json', false],
    ['markdown', false],
    ['bundle', false],
    ['bundle', true],
  ])('%s (keys: %s) gives back deep-equal data', async (format, includeKeys) => {
    const a = await freshStore();
    await seedVaried(a, 30);
    const file = await a.data.exportAs(format, { passphrase: PASS, includeKeys });
    expect(file.damaged).toBe(0);
    const text = new TextDecoder().decode(file.bytes);
    if (format === 'bundle') expect(text).not.toContain('Prefers metric');
    if (!includeKeys) expect(text).not.toContain('SECRETKEY');

    const b = await freshStore(); // a wiped browser: new vault, empty tables
    const summary = await b.data.importFile(source(file.bytes, file.name), { passphrase: PASS });
    expect(summary.added).toBeGreaterThan(30);
    expect(await contents(b, true)).toEqual(await contents(a, includeKeys));
  });

  it('is idempotent: a second import writes nothing and creates no duplicates', async () => {
    const a = await freshStore();
    await seedVaried(a, 18);
    const file = await a.data.exportAs('markdown');
    const b = await freshStore();
    await b.data.importFile(source(file.bytes, file.name));
    const before = await b.snapshot();
    const again = await b.data.importFile(source(file.bytes, file.name));
    expect(again).toMatchObject({ added: 0, updated: 0 });
    expect(await b.snapshot()).toEqual(before);
  });

  it('re-importing a key-less export keeps the API key this browser holds', async () => {
    const a = await freshStore();
    await seedVaried(a, 6);
    const file = await a.data.exportAs('json');
    await a.data.importFile(source(file.bytes));
    expect((await a.repos.providers.get('prov-openai')).apiKey).toBe('sk-test-SECRETKEY1234567890');
  });

  it('refuses API keys outside the encrypted bundle', async () => {
    const a = await freshStore();
    await expect(a.data.exportAs('json', { includeKeys: true })).rejects.toMatchObject({
      code: 'keys-need-bundle',
    });
  });

  it('reports progress while exporting', async () => {
    const a = await freshStore();
    await seedVaried(a, 60);
    const phases: string[] = [];
    await a.data.exportAs('markdown', { onProgress: (p) => phases.push(p.phase) });
    expect(phases).toContain('reading');
    expect(phases).toContain('packing');
    expect(phases.at(-1)).toBe('done');
  });
});
