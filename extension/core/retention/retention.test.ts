import { describe, expect, it } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import { testVault } from '../tools/test-kit';
import { applyRetention, parseRetentionDays } from './retention';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-01T00:00:00Z');

describe('retention', () => {
  it('deletes exactly the conversations older than N days, with their messages', async () => {
    const vault = await testVault();
    const { repos, table } = createMemoryRepos(() => vault);
    const ages = { fresh: 1, edge: 29.9, old: 30.1, ancient: 400 };
    for (const [id, age] of Object.entries(ages)) {
      const at = NOW - age * DAY;
      await repos.conversations.put(id, { id, title: id, createdAt: at - DAY, updatedAt: at });
      await repos.messages.put(`${id}-m`, {
        id: `${id}-m`,
        conversationId: id,
        role: 'user',
        content: `secret of ${id}`,
        createdAt: at,
      });
    }
    expect(await applyRetention(repos, 30, NOW)).toBe(2);
    const left = (await repos.conversations.list()).map((c) => c.id).sort();
    expect(left).toEqual(['edge', 'fresh']);
    expect((await repos.messages.list()).map((m) => m.id).sort()).toEqual(['edge-m', 'fresh-m']);
    // Deleted rows are tombstones with no plain index fields left.
    const tomb = table('messages').rows.get('old-m');
    expect(tomb).toMatchObject({ deleted: 1 });
    expect(tomb?.conversationId).toBeUndefined();
    expect(await applyRetention(repos, undefined, NOW)).toBe(0);
  });

  it('checks the field', () => {
    expect(parseRetentionDays('')).toEqual({ ok: true, days: undefined });
    expect(parseRetentionDays('30')).toEqual({ ok: true, days: 30 });
    expect(parseRetentionDays('0')).toMatchObject({ ok: false });
    expect(parseRetentionDays('1.5')).toMatchObject({ ok: false });
  });
});
