import { describe, expect, it } from 'vitest';
import { createMemoryRepos, createRepos } from '../../adapters/db/repos';
import { recordUsage } from '../chat/usage-ledger';
import type { AppSettings, UsageTotal } from '../models';
import type { RecordRepo } from '../records/record-repo-port';
import { testVault } from '../tools/test-kit';
import { createBudgetGate } from './budget-gate';
import { rowTokens } from '../records/row-stamp';
import { createUsageCache } from './usage-cache';

const total = (day: string, output: number, model = 'gpt-4o'): UsageTotal => ({
  id: `${day}|p1|${model}`,
  providerId: 'p1',
  model,
  day,
  inputTokens: 0,
  outputTokens: output,
  requests: 1,
});

/** Two pages' repositories over the same stored rows, and a panel cache that counts decrypts. */
async function twoPages() {
  const vault = await testVault();
  const { repos: panelRepos, table } = createMemoryRepos(() => vault);
  const other = createRepos(table, () => vault);
  let lists = 0;
  let decrypted = 0;
  const repo: RecordRepo<UsageTotal> = {
    ...panelRepos.usage,
    async list(q, known) {
      lists += 1;
      const out = await panelRepos.usage.list(q, known);
      // A result that is not the very object passed in `known` was decrypted now.
      decrypted += out.filter((r) => known?.get(r.id) !== r).length;
      return out;
    },
  };
  let keys: object | undefined = vault;
  const cache = createUsageCache({
    repo,
    rowTokens: async () => rowTokens([...table('usage').rows.values()]),
    keys: () => keys,
  });
  const counts = () => ({ lists, decrypted });
  const setKeys = (k: object | undefined) => (keys = k);
  return { vault, table, panelRepos, other, cache, counts, setKeys };
}

describe('usage cache', () => {
  it('decrypts nothing again while nothing changed, then only the changed row', async () => {
    const p = await twoPages();
    for (let d = 1; d <= 30; d += 1) {
      const t = total(`2025-05-${String(d).padStart(2, '0')}`, 10);
      await p.other.usage.put(t.id, t);
    }
    expect(await p.cache.totals()).toHaveLength(30);
    expect(p.counts()).toEqual({ lists: 1, decrypted: 30 });
    await p.cache.totals();
    await p.cache.totals();
    expect(p.counts()).toEqual({ lists: 1, decrypted: 30 });
    // Another page adds an answer to one day's total: only that row is decrypted.
    await recordUsage(p.other.usage, {
      providerId: 'p1',
      model: 'gpt-4o',
      usage: { inputTokens: 0, outputTokens: 5 },
      at: Date.parse('2025-05-07T10:00:00Z'),
    });
    const after = await p.cache.totals();
    expect(p.counts()).toEqual({ lists: 2, decrypted: 31 });
    expect(after.find((t) => t.day === '2025-05-07')).toMatchObject({
      outputTokens: 15,
      requests: 2,
    });
    // A deleted total disappears without decrypting anything.
    await p.other.usage.delete(total('2025-05-01', 0).id);
    expect(await p.cache.totals()).toHaveLength(29);
    expect(p.counts()).toEqual({ lists: 3, decrypted: 31 });
  });

  it('re-reads a row rewritten under the same revision (restore, sync), not just a new one', async () => {
    const p = await twoPages();
    const id = total('2025-05-02', 0).id;
    await p.panelRepos.usage.put(id, total('2025-05-02', 100));
    expect((await p.cache.totals())[0]?.outputTokens).toBe(100);
    // The same id sealed elsewhere under the same revision 1, copied over the stored row.
    const { repos: elsewhere, table: otherTable } = createMemoryRepos(() => p.vault);
    await elsewhere.usage.put(id, total('2025-05-02', 999));
    const row = otherTable('usage').rows.get(id);
    if (!row || row.rev !== p.table('usage').rows.get(id)?.rev) throw new Error('setup');
    p.table('usage').rows.set(id, row);
    expect((await p.cache.totals())[0]?.outputTokens).toBe(999);
  });

  it('forgets everything on lock and refuses to answer while locked', async () => {
    const p = await twoPages();
    await p.other.usage.put(total('2025-05-02', 1).id, total('2025-05-02', 1));
    await p.cache.totals();
    p.setKeys(undefined);
    await expect(p.cache.totals()).rejects.toMatchObject({ name: 'RecordError', code: 'locked' });
    // Unlocked again (new keys): everything is decrypted afresh, nothing was kept.
    p.setKeys({ ...p.vault });
    await p.cache.totals();
    expect(p.counts()).toEqual({ lists: 2, decrypted: 2 });
    p.cache.reset();
    await p.cache.totals();
    expect(p.counts()).toEqual({ lists: 3, decrypted: 3 });
  });

  it('attack: a read still in flight at lock stores nothing and returns nothing', async () => {
    const vault = await testVault();
    const { repos, table } = createMemoryRepos(() => vault);
    await repos.usage.put(total('2025-05-02', 1).id, total('2025-05-02', 1));
    let keys: object | undefined = vault;
    let release: () => void = () => undefined;
    let reached: () => void = () => undefined;
    const atHold = new Promise<void>((r) => (reached = r));
    const hold = new Promise<void>((r) => (release = r));
    const cache = createUsageCache({
      repo: {
        ...repos.usage,
        async list(q, known) {
          const out = await repos.usage.list(q, known);
          reached();
          await hold;
          return out;
        },
      },
      rowTokens: async () => rowTokens([...table('usage').rows.values()]),
      keys: () => keys,
    });
    const read = cache.totals();
    await atHold;
    keys = undefined;
    cache.reset();
    release();
    await expect(read).rejects.toMatchObject({ code: 'locked' });
  });
});

describe('budget gate over the usage cache', () => {
  const may = Date.parse('2025-05-20T00:00:00Z');

  it('counts usage written by another page and a budget changed in another page at the next send', async () => {
    const p = await twoPages();
    let stored: AppSettings = { autoLockMinutes: 15, budgets: { p1: 1 } };
    const gate = createBudgetGate({
      usage: p.cache,
      settings: async () => stored,
      target: async () => ({ providerId: 'p1', label: 'OpenAI' }),
      now: () => may,
    });
    await p.other.usage.put(total('2025-05-03', 85_000).id, total('2025-05-03', 85_000)); // $0.85
    expect(await gate.admit()).toBe(true);
    expect(gate.getState().status.level).toBe('warn');
    // Another page records an answer: the very next send is held.
    await recordUsage(p.other.usage, {
      providerId: 'p1',
      model: 'gpt-4o',
      usage: { inputTokens: 0, outputTokens: 20_000 },
      at: Date.parse('2025-05-04T00:00:00Z'),
    });
    expect(await gate.admit()).toBe(false);
    // Options in another page raises the budget: the next send goes.
    stored = { ...stored, budgets: { p1: 5 } };
    expect(await gate.admit()).toBe(true);
    expect(gate.getState().status).toMatchObject({ level: 'ok', budget: 5 });
    expect(p.counts().decrypted).toBe(2);
  });
});
