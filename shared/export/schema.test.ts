import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { freshStore, seedVaried } from '../../extension/core/data/data-test-kit';
import { NookExport } from './schema';

const published = JSON.parse(
  readFileSync(new URL('./nook-export.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('the published export schema', () => {
  it('is exactly the schema the importer checks against', () => {
    expect(published).toEqual(JSON.parse(JSON.stringify(NookExport)));
  });

  it('validates a real export with an independent JSON Schema validator', async () => {
    const store = await freshStore();
    await seedVaried(store, 20);
    const file = await store.data.exportAs('json');
    const doc = JSON.parse(new TextDecoder().decode(file.bytes)) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: false }).compile(published);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...doc, schemaVersion: 2 })).toBe(false);
    expect(validate({ ...doc, surprise: true })).toBe(false);
  });
});
