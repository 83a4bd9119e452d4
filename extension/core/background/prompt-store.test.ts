import { describe, expect, it } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import { testVault } from '../tools/test-kit';
import { createPromptStore } from './prompt-store';
import { PromptError } from './prompts';

describe('prompt store', () => {
  it('saves, edits, removes, stays encrypted and reports every change for the menu', async () => {
    const vault = await testVault();
    const { repos, table } = createMemoryRepos(() => vault);
    const synced: string[][] = [];
    const store = createPromptStore({
      repo: repos.prompts,
      onChange: (ps) => synced.push(ps.map((p) => p.name)),
    });
    await store.load();
    const p = await store.save({ name: ' Polite ', template: 'Rewrite {{selection}} politely' });
    await store.save({ name: 'Bullet', template: 'Bullets please' });
    await store.save({ id: p.id, name: 'Courteous', template: 'Rewrite {{selection}}' });
    expect(store.getState().prompts.map((x) => x.name)).toEqual(['Bullet', 'Courteous']);
    expect((await store.get(p.id))?.template).toBe('Rewrite {{selection}}');
    const rows = await table('prompts').query({ kind: 'all' });
    expect(new TextDecoder().decode(rows[0]?.env)).not.toContain('Rewrite');
    await store.remove(p.id);
    expect(synced.at(-1)).toEqual(['Bullet']);
    await expect(store.save({ name: '', template: 'x' })).rejects.toBeInstanceOf(PromptError);
    await expect(store.save({ name: 'x', template: ' ' })).rejects.toMatchObject({
      code: 'missing-template',
    });
  });
});
