import { describe, expect, it, vi } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import type { ChatRequest, ProviderAdapter, StreamEvent } from '../chat/provider';
import { createProviderRegistry } from '../chat/provider-registry';
import type { Message } from '../models';
import { testVault } from './test-kit';
import type { ChatTool } from './types';

type Script = (req: ChatRequest) => AsyncIterable<StreamEvent>;
const say = (text: string): Script =>
  async function* () {
    yield { type: 'text', delta: text };
    yield { type: 'done', finishReason: 'stop' };
  };
const callRunCode: Script = async function* () {
  yield { type: 'tool-call', call: { id: 'call-0', name: 'run_code', arguments: { code: 'x' } } };
  yield { type: 'done', finishReason: 'tool-calls' };
};

/** A run_code stand-in; `hang` never returns (its page is closed mid-run). */
function runCode(log: string[], hang: boolean): ChatTool & { started: Promise<void> } {
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  return {
    approval: 'auto',
    spec: { name: 'run_code', description: 'run', parameters: { type: 'object' } },
    started: startedP,
    run: async (args) => {
      log.push(JSON.stringify(args));
      started();
      if (hang) await new Promise(() => undefined);
      return { content: 'exit 0' };
    },
  };
}

/**
 * One extension page: a fresh module graph (so "live runs" are this page's only), a chat
 * controller over the shared repositories, and a scripted provider.
 */
async function openPage(
  repos: ReturnType<typeof createMemoryRepos>['repos'],
  tool: ChatTool,
  scripts: Script[],
) {
  vi.resetModules();
  const { createChatController } = await import('../conversations/chat-controller');
  const loop = await import('./tool-loop');
  const requests: ChatRequest[] = [];
  const adapter: ProviderAdapter = {
    kind: 'openai',
    stream(req) {
      requests.push(structuredClone({ ...req, signal: undefined }));
      return (scripts.shift() ?? say('ok'))(req);
    },
    listModels: async () => ['m1'],
    testConnection: async () => undefined,
  };
  const providers = createProviderRegistry({ repo: repos.providers, createAdapter: () => adapter });
  const chat = createChatController({
    conversations: repos.conversations,
    messages: repos.messages,
    providers,
    tools: () => [tool],
  });
  await chat.load();
  return { chat, loop, requests };
}

const assistantCalls = (messages: readonly { ok: boolean; value?: Message }[]) =>
  messages.flatMap((m) => (m.ok && m.value?.role === 'assistant' ? [m.value] : []));

describe('a tool call cut off by a closed panel', () => {
  it('is live while it runs, then shows as interrupted after a reload and runs again on click', async () => {
    const vault = await testVault();
    const { repos } = createMemoryRepos(() => vault);
    const providers = createProviderRegistry({
      repo: repos.providers,
      createAdapter: () => {
        throw new Error('unused');
      },
    });
    await providers.save({
      id: '',
      kind: 'openai',
      label: 'AI',
      apiKey: 'sk-x-123456',
      defaultModel: 'm1',
    });

    // Page 1 starts the run; it never finishes there (the panel is closed mid-run).
    const log1: string[] = [];
    const tool1 = runCode(log1, true);
    const page1 = await openPage(repos, tool1, [callRunCode]);
    void page1.chat.send('run it');
    await tool1.started;
    const live = assistantCalls(page1.chat.getState().messages)[0];
    const liveCall = live?.toolCalls?.[0];
    expect(liveCall?.state.status).toBe('running');
    // Alive in this page: the card shows "Running…", not "Stopped".
    expect(page1.loop.isInterrupted(live!.id, liveCall!)).toBe(false);

    // Page 2 (the panel reopened): the stored call is still `running`, with nothing behind it.
    const log2: string[] = [];
    const page2 = await openPage(repos, runCode(log2, false), [say('It printed 1.')]);
    await page2.chat.select(page2.chat.getState().conversations[0]?.id);
    const [stored] = assistantCalls(page2.chat.getState().messages);
    const storedCall = stored?.toolCalls?.[0];
    expect(storedCall?.state.status).toBe('running');
    expect(page2.loop.isInterrupted(stored!.id, storedCall!)).toBe(true);
    // Nothing re-runs it by itself.
    await page2.chat.whenIdle();
    expect(log2).toEqual([]);

    // "Run again" runs it once, stores the result and lets the model continue.
    await page2.chat.decideToolCall(stored!.id, 'call-0', { kind: 'run' });
    await page2.chat.whenIdle();
    expect(log2).toEqual(['{"code":"x"}']);
    const after = assistantCalls(page2.chat.getState().messages);
    expect(after[0]?.toolCalls?.[0]?.state).toEqual({
      status: 'done',
      outcome: { content: 'exit 0' },
    });
    expect(after.at(-1)?.content).toBe('It printed 1.');
    expect(page2.requests.at(-1)?.turns.at(-1)).toMatchObject({ role: 'tool', content: 'exit 0' });
    // A second click finds it answered.
    await page2.chat.decideToolCall(stored!.id, 'call-0', { kind: 'run' });
    expect(page2.chat.getState().error).toMatch(/already answered/);
    expect(log2).toHaveLength(1);
  });

  it('tells the model an interrupted call did not finish (when the user moves on instead)', async () => {
    const { toolResultText } = await import('./tool-turns');
    expect(
      toolResultText({ id: 'c', name: 'run_code', arguments: {}, state: { status: 'running' } }),
    ).toMatch(/^Interrupted: .*did not finish/);
  });
});
