import { beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import { createMemoryRepos } from '../../adapters/db/repos';
import { customOrigin, needsOriginRule } from './host-access';
import type { ProviderAdapter, ProviderConfig } from './provider';
import { createPersonaStore, PersonaError } from './persona-store';
import { rowsStamp } from '../records/row-stamp';
import { createProviderRegistry, maskKey } from './provider-registry';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});

const KEY = 'sk-proj-canary-7Qx9a1B2';

function setup() {
  const { repos, table } = createMemoryRepos(() => vault);
  const built: ProviderConfig[] = [];
  const registry = createProviderRegistry({
    repo: repos.providers,
    createAdapter: (cfg) => {
      built.push(cfg);
      return { kind: cfg.kind } as ProviderAdapter;
    },
  });
  return { repos, table, registry, built };
}

describe('provider registry', () => {
  it('masks keys as prefix…last4 and never shows short keys', () => {
    expect(maskKey(KEY)).toBe('sk-…a1B2');
    expect(maskKey('short')).toBe('…');
    expect(maskKey(undefined)).toBe('(no key)');
  });

  it('refuses an invalid config without saving anything', async () => {
    const { registry, repos } = setup();
    const r = await registry.save({ id: '', kind: 'openai', label: 'OpenAI', apiKey: '' });
    expect(r).toMatchObject({ ok: false, issues: [{ field: 'apiKey' }] });
    const http = await registry.save({
      id: '',
      kind: 'openai-compatible',
      label: 'Remote',
      baseUrl: 'http://10.0.0.5/v1',
    });
    expect(http).toMatchObject({ ok: false, issues: [{ field: 'baseUrl' }] });
    expect(await repos.providers.list()).toEqual([]);
  });

  it('attack: the stored key is only ciphertext on disk, and is forgotten on reset', async () => {
    const { registry, table, built } = setup();
    const r = await registry.save({ id: '', kind: 'anthropic', label: 'Anthropic', apiKey: KEY });
    expect(r.ok).toBe(true);
    const raw = new TextDecoder().decode(
      new Uint8Array([...table('secrets').rows.values()].flatMap((row) => [...row.env])),
    );
    expect(raw).not.toContain('canary');
    const id = registry.usable()[0]?.id ?? '';
    registry.adapterFor(id);
    registry.adapterFor(id);
    expect(built).toHaveLength(1);
    registry.reset();
    expect(registry.getState().providers).toEqual([]);
    expect(() => registry.adapterFor(id)).toThrow(/no longer exists/);
    await registry.load();
    expect(registry.find(id)?.apiKey).toBe(KEY);
  });

  it('refresh re-reads only after the stored rows changed, here or in another page', async () => {
    const { repos, table } = createMemoryRepos(() => vault);
    let lists = 0;
    const open = () =>
      createProviderRegistry({
        repo: { ...repos.providers, list: (q) => ((lists += 1), repos.providers.list(q)) },
        createAdapter: (cfg) => ({ kind: cfg.kind, key: cfg.apiKey }) as unknown as ProviderAdapter,
        changeStamp: async () => rowsStamp([...table('secrets').rows.values()]),
      });
    const panel = open();
    const options = open();
    const r = await options.save({ id: '', kind: 'anthropic', label: 'A', apiKey: KEY });
    if (!r.ok) throw new Error('refused');
    await panel.load();
    lists = 0;
    await panel.refresh();
    await panel.refresh();
    expect(lists).toBe(0);
    await options.save({ ...r.provider, apiKey: 'sk-ant-canary-new-key-9' });
    await panel.refresh();
    expect(lists).toBe(1);
    expect((panel.adapterFor(r.provider.id) as unknown as { key: string }).key).toBe(
      'sk-ant-canary-new-key-9',
    );
    await options.remove(r.provider.id);
    await panel.refresh();
    expect(panel.usable()).toEqual([]);
    // A rewrite under the same revision (restore, sync) still changes the stamp.
    const row = [...table('secrets').rows.values()][0];
    if (!row) throw new Error('no row');
    const before = rowsStamp([row]);
    expect(rowsStamp([{ ...row, env: Uint8Array.from(row.env, (b) => b ^ 1) }])).not.toBe(before);
  });

  it('attack: a read still in flight at lock shows no key afterwards; an older read never wins', async () => {
    const { repos } = createMemoryRepos(() => vault);
    let hold: Promise<void> | undefined;
    const registry = createProviderRegistry({
      repo: {
        ...repos.providers,
        list: async (q) => {
          const rows = await repos.providers.list(q);
          if (hold) await hold;
          return rows;
        },
      },
      createAdapter: (cfg) => ({ kind: cfg.kind }) as ProviderAdapter,
    });
    await repos.providers.put('p1', {
      id: 'p1',
      kind: 'anthropic',
      label: 'Old',
      apiKey: KEY,
      createdAt: 1,
    });
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    const slow = registry.load();
    await new Promise((r) => setTimeout(r, 0));
    registry.reset();
    release();
    await slow;
    expect(registry.getState()).toEqual({ loaded: false, providers: [] });
    // An older read finishing after a newer one keeps the newer list.
    hold = new Promise<void>((r) => (release = r));
    const older = registry.load();
    await new Promise((r) => setTimeout(r, 0));
    hold = undefined;
    await repos.providers.put('p1', {
      id: 'p1',
      kind: 'anthropic',
      label: 'New',
      apiKey: KEY,
      createdAt: 1,
    });
    await registry.load();
    release();
    await older;
    expect(registry.usable().map((p) => p.label)).toEqual(['New']);
  });

  it('asks for a runtime permission only for custom hosts; the Origin rule only for compatible ones', () => {
    expect(customOrigin({ baseUrl: 'https://api.openai.com/v1' })).toBeUndefined();
    expect(customOrigin({ baseUrl: 'http://127.0.0.1:11434/v1' })).toBe('http://127.0.0.1:11434');
    expect(customOrigin({ baseUrl: 'not a url' })).toBeUndefined();
    expect(
      needsOriginRule({ kind: 'openai-compatible', baseUrl: 'http://localhost:11434/v1' }),
    ).toBe(true);
    expect(needsOriginRule({ kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' })).toBe(false);
  });
});

describe('persona store', () => {
  it('saves, lists by name, and refuses a persona without a name or prompt', async () => {
    const { repos } = createMemoryRepos(() => vault);
    const store = createPersonaStore({ repo: repos.personas });
    await expect(store.save({ name: ' ', systemPrompt: 'x' })).rejects.toBeInstanceOf(PersonaError);
    await expect(store.save({ name: 'x', systemPrompt: '' })).rejects.toThrow(/system prompt/);
    await store.save({ name: 'Zed', systemPrompt: 'Be terse.' });
    const editor = await store.save({ name: 'Editor', systemPrompt: 'Fix grammar.', model: 'm1' });
    expect(store.getState().personas.map((p) => (p.ok ? p.value.name : ''))).toEqual([
      'Editor',
      'Zed',
    ]);
    await store.remove(editor.id);
    const reloaded = createPersonaStore({ repo: repos.personas });
    await reloaded.load();
    expect(reloaded.getState().personas).toHaveLength(1);
  });
});
