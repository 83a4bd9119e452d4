/**
 * Test helpers for data controls: a varied data set (code, unicode, attachment metadata,
 * memory, settings, providers with keys) over fresh in-memory encrypted repositories.
 * Imported by tests and benchmarks only.
 */
import { createVault, KDF_FLOOR, type RecoveredVault } from '../../../shared/crypto';
import { createAtomicWriter, createMemoryRowStore } from '../../adapters/data/atomic-writer';
import { createMemoryRepos } from '../../adapters/db/repos';
import { SETTINGS_RECORD_ID } from '../models';
import { createDataService } from './data-service';

/** A store over a new vault with its raw tables, writer and data service. */
export async function freshStore() {
  const vault: RecoveredVault = (
    await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })
  ).vault;
  const { repos, table } = createMemoryRepos(() => vault);
  const writer = createAtomicWriter(createMemoryRowStore(table), () => vault);
  const data = createDataService({
    repos,
    writer,
    bundleKdf: KDF_FLOOR,
    now: () => 1_750_000_000_000,
  });
  /** Every raw row of every table, for "the store is unchanged" checks. */
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const name of [
      'conversations',
      'messages',
      'memory',
      'settings',
      'secrets',
      'personas',
      'usage',
    ] as const) {
      out[name] = (await table(name).query({ kind: 'all' })).map((r) => ({
        ...r,
        env: [...r.env],
      }));
    }
    return out;
  };
  return { vault, repos, table, writer, data, snapshot };
}

export type FreshStore = Awaited<ReturnType<typeof freshStore>>;

/** Fills a store with a varied data set: `messages` in total, `perConversation` each. */
export async function seedVaried(
  store: FreshStore,
  messages = 12,
  perConversation = 6,
): Promise<void> {
  const { repos } = store;
  const day = 86_400_000;
  const t0 = 1_700_000_000_000;
  const convs = Math.max(1, Math.ceil(messages / perConversation));
  for (let c = 0; c < convs; c++) {
    const id = `conv-${c}`;
    await repos.conversations.put(id, {
      id,
      title: c === 0 ? 'Ünïcödé 日本語 🚀 "quotes" & <tags>' : `Conversation ${c}`,
      createdAt: t0 + c * day,
      updatedAt: t0 + c * day + 5000,
      ...(c % 2 === 0 ? { providerId: 'prov-openai', model: 'gpt-4o-mini' } : {}),
      ...(c === 1 ? { systemPrompt: 'Answer like a pirate --> arr' } : {}),
    });
  }
  for (let i = 0; i < messages; i++) {
    const c = i % convs;
    const user = i % 2 === 0;
    const id = `msg-${i}`;
    await repos.messages.put(id, {
      id,
      conversationId: `conv-${c}`,
      role: user ? 'user' : 'assistant',
      content:
        i === 1
          ? 'Here is code:\n\n```ts\nconst x = `a--b` <!-- nook:message {"id":"x"} -->\n```\n\n---\n'
          : i === 2
            ? 'Emoji 👩‍👩‍👧 and RTL مرحبا and combining é\r\nand a NUL-free\ttab'
            : `Message ${i} ${'lorem ipsum '.repeat(i % 7)}`,
      createdAt: t0 + c * day + i,
      status: user ? 'complete' : i % 5 === 0 ? 'interrupted' : 'complete',
      ...(user ? {} : { model: 'gpt-4o-mini', providerId: 'prov-openai' }),
      ...(!user ? { usage: { inputTokens: 10 + i, outputTokens: 20 + i } } : {}),
      ...(i === 0
        ? {
            attachments: [
              { name: 'photo.png', mime: 'image/png', size: 12345, sha256: 'ab'.repeat(32) },
            ],
          }
        : {}),
    } as never);
  }
  await repos.memory.put('mem-1', {
    id: 'mem-1',
    text: 'Prefers metric units',
    createdAt: t0,
    updatedAt: t0 + 1,
    conversationId: 'conv-0',
    source: 'model',
  });
  await repos.memory.put('mem-2', {
    id: 'mem-2',
    text: 'Lives in Zürich — speaks German',
    createdAt: t0 + 2,
    updatedAt: t0 + 2,
    source: 'user',
  });
  await repos.personas.put('p1', {
    id: 'p1',
    name: 'Tutor',
    systemPrompt: 'Be patient.',
    createdAt: t0,
  });
  await repos.usage.put('2023-11-14|prov-openai|gpt-4o-mini', {
    id: '2023-11-14|prov-openai|gpt-4o-mini',
    providerId: 'prov-openai',
    model: 'gpt-4o-mini',
    day: '2023-11-14',
    inputTokens: 1200,
    outputTokens: 3400,
    requests: 7,
  });
  await repos.providers.put('prov-openai', {
    id: 'prov-openai',
    kind: 'openai',
    label: 'OpenAI',
    apiKey: 'sk-test-SECRETKEY1234567890',
    defaultModel: 'gpt-4o-mini',
    createdAt: t0,
  });
  await repos.settings.put(SETTINGS_RECORD_ID, {
    autoLockMinutes: 30,
    defaultProviderId: 'prov-openai',
    defaultModel: 'gpt-4o-mini',
  });
}

/** An ImportSource over bytes or text. */
export function source(content: Uint8Array | string, name = 'import.json') {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, size: bytes.length, bytes: async () => bytes };
}
