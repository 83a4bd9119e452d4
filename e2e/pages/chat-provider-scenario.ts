import { expect } from 'vitest';
import type { ProviderDouble } from '../doubles/provider-double';
import { waitFor } from '../harness/browser';
import type { ChatPage } from './chat-page';

/**
 * One provider kind's run in the chat journey (chat-journey.ts), in a new conversation:
 * a watched stream, Stop, Retry and Regenerate, the error matrix (401, 429, 5xx twice),
 * a failure mid-answer and a cut connection, each recovered with Retry.
 */

/** What the scenario needs: the panel, the double, and which route and label to use. */
export interface ProviderScenario {
  chat: ChatPage;
  double: ProviderDouble;
  /** The double's route for this kind (`openai`, `anthropic`, `gemini`, `ollama`). */
  api: string;
  /** The provider's label in Options (and in the model menu). */
  label: string;
  /** A word unique to this run, sent in the first message (the search test finds it). */
  marker: string;
}

/** Runs the scenario; fails the calling test on the first unexpected step. */
export async function providerScenario({
  chat,
  double,
  api,
  label,
  marker,
}: ProviderScenario): Promise<void> {
  const modelsFetched = () => double.requests.filter((r) => r.method === 'GET').length;
  const fetched = modelsFetched();
  await chat.newConversation(label, 'double-small');
  // The model menu lists models (a scripted scenario would be consumed by it).
  await waitFor(async () => modelsFetched() > fetched, 'the model list');

  // 1. A slow stream, watched while it arrives.
  const first = `${marker} ${api} hello`;
  double.script({
    kind: 'text',
    text: `Streaming answer from ${api}, token by token.`,
    chunkSize: 3,
    delayMs: 40,
    usage: { inputTokens: 11, outputTokens: 7 },
  });
  let prev = await chat.send(first);
  await waitFor(async () => (await chat.streamingText()).includes('Streaming'), 'first tokens');
  let last = await chat.waitAnswered(prev);
  expect(last).toMatchObject({ role: 'assistant', status: 'complete' });
  expect(last.text).toContain(`Streaming answer from ${api}, token by token.`);
  expect(last.text).toContain('11 in · 7 out');
  const sent = double.requests.filter((r) => r.api === api && r.method === 'POST').at(-1);
  expect(JSON.stringify(sent?.body)).toContain(first);

  // 2. Stop mid-stream (Esc for two kinds, the button for the others): partial kept.
  double.script({ kind: 'text', text: 'x'.repeat(400), chunkSize: 2, delayMs: 40 });
  prev = await chat.send('a long answer please');
  await waitFor(async () => (await chat.streamingText()).includes('xxxx'), 'partial text');
  if (api === 'anthropic' || api === 'ollama') await chat.page.keyboard.press('Escape');
  else await chat.click('msg-stop');
  last = await chat.waitAnswered(prev);
  expect(last.status).toBe('interrupted');
  expect(last.text).toMatch(/xxxx/);
  expect(last.text).toMatch(/Stopped: the partial answer is kept/);

  // 3. Retry the interrupted answer (default echo), then Regenerate it.
  prev = await chat.clickLast('msg-retry');
  last = await chat.waitAnswered(prev);
  expect(last).toMatchObject({ status: 'complete' });
  expect(last.text).toContain('Echo: a long answer please');
  double.script({ kind: 'text', text: 'A regenerated answer.' });
  await chat.clickLast('msg-regenerate');
  await waitFor(
    async () => (await chat.lastMessage())?.text.includes('A regenerated answer.'),
    'regenerated answer',
  );

  // 4. Errors in plain words, each recovered with Retry; the user's message stays.
  const cases = [
    {
      scenario: { kind: 'error', status: 401 },
      words: /rejected the key.*Options → Providers/,
    },
    {
      scenario: { kind: 'error', status: 429, retryAfterSeconds: 20 },
      words: /rate-limiting.*try again in 20 s/,
    },
    // 5xx is retried once silently; two in a row reach the user.
    {
      scenario: [
        { kind: 'error', status: 500 },
        { kind: 'error', status: 500 },
      ],
      words: /problem on its side|Retry/,
    },
  ] as const;
  for (const c of cases) {
    double.script(c.scenario as Parameters<ProviderDouble['script']>[0]);
    const text = `error case ${c.words.source.slice(0, 12)}`;
    prev = await chat.send(text);
    last = await chat.waitAnswered(prev);
    expect(last.status).toBe('error');
    expect(await chat.text('msg-error')).toMatch(c.words);
    const msgs = await chat.messages();
    expect(msgs.at(-2)?.text).toContain(text);
    prev = await chat.clickLast('msg-retry');
    last = await chat.waitAnswered(prev);
    expect(last).toMatchObject({ status: 'complete' });
  }

  // 5. A provider failing mid-answer keeps the partial answer; Retry completes it.
  double.script({ kind: 'mid-stream-error', text: 'Partial words before the failure' });
  prev = await chat.send('fail midway');
  last = await chat.waitAnswered(prev);
  expect(last.status).toBe('interrupted');
  expect(last.text).toMatch(/Partial words/);
  expect(await chat.text('msg-error')).toMatch(/partial answer is kept|press Retry/);
  prev = await chat.clickLast('msg-retry');
  last = await chat.waitAnswered(prev);
  expect(last).toMatchObject({ status: 'complete' });
  expect(last.text).toContain('Echo: fail midway');

  // 6. A cut connection. Whether the browser hands over the frames before the cut
  // is a race: if nothing showed, the adapter retries once silently (→ the echo);
  // otherwise the partial answer is kept as interrupted and Retry completes it.
  const posts = () => double.requests.filter((r) => r.method === 'POST').length;
  const postsBefore = posts();
  double.script({ kind: 'disconnect', afterChunks: 4, text: 'Partial words before the cut' });
  prev = await chat.send('drop the line');
  last = await chat.waitAnswered(prev);
  expect((await chat.messages()).at(-2)?.text).toContain('drop the line');
  if (last.status === 'complete') {
    expect(posts() - postsBefore).toBe(2);
  } else {
    expect(last.status).toBe('interrupted');
    expect(last.text).toMatch(/Part/);
    expect(await chat.text('msg-error')).toMatch(/partial answer is kept/);
    prev = await chat.clickLast('msg-retry');
    last = await chat.waitAnswered(prev);
    expect(last).toMatchObject({ status: 'complete' });
  }
  expect(last.text).toContain('Echo: drop the line');
}
