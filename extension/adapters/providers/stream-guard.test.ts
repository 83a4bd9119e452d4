import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../core/chat/provider';
import { ProviderError } from '../../core/chat/provider-error';
import { guardStream, parseToolArguments } from './stream-guard';

const retry = { retries: 1, maxRetryWaitMs: 0 };
const opts = { family: 'openai' as const, provider: 'P', retry };

async function drain(
  it: AsyncIterable<StreamEvent>,
): Promise<{ events: StreamEvent[]; error?: ProviderError }> {
  const events: StreamEvent[] = [];
  try {
    for await (const ev of it) events.push(ev);
    return { events };
  } catch (e) {
    return { events, error: e as ProviderError };
  }
}

describe('guardStream', () => {
  it('retries a connection failure before any output, once', async () => {
    let opened = 0;
    const r = await drain(
      guardStream(
        () => {
          opened += 1;
          // Like an SDK whose request fails before the first chunk.
          const next = (): Promise<IteratorResult<StreamEvent>> =>
            Promise.reject(new TypeError('fetch failed'));
          return { [Symbol.asyncIterator]: () => ({ next }) };
        },
        { ...opts, retry: { retries: 1, maxRetryWaitMs: 1000 } },
      ),
    );
    expect(opened).toBe(2);
    expect(r.error?.kind).toBe('network');
  });

  it('never retries once text was shown (the user would see it twice)', async () => {
    let opened = 0;
    const r = await drain(
      guardStream(
        async function* () {
          opened += 1;
          yield { type: 'text', delta: 'Hel' };
          throw new TypeError('terminated');
        },
        { ...opts, retry: { retries: 3, maxRetryWaitMs: 1000 } },
      ),
    );
    expect(opened).toBe(1);
    expect(r.events).toEqual([{ type: 'text', delta: 'Hel' }]);
    expect(r.error?.kind).toBe('interrupted');
    expect(r.error?.afterOutput).toBe(true);
  });

  it('passes nothing after done and ends cleanly', async () => {
    const r = await drain(
      guardStream(async function* () {
        yield { type: 'text', delta: 'a' };
        yield { type: 'done', finishReason: 'stop' };
        yield { type: 'text', delta: 'late' };
      }, opts),
    );
    expect(r.error).toBeUndefined();
    expect(r.events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    expect(r.events).toHaveLength(2);
  });

  it('reports aborted, not interrupted, when an SDK ends quietly on abort', async () => {
    const ac = new AbortController();
    const r = await drain(
      guardStream(
        async function* () {
          yield { type: 'text', delta: 'a' };
          ac.abort();
        },
        { ...opts, signal: ac.signal },
      ),
    );
    expect(r.error).toBeInstanceOf(ProviderError);
    expect(r.error?.kind).toBe('aborted');
  });
});

describe('parseToolArguments', () => {
  it('parses objects and turns anything else into {}', () => {
    expect(parseToolArguments('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolArguments('')).toEqual({});
    expect(parseToolArguments('{"a":')).toEqual({});
    expect(parseToolArguments('[1,2]')).toEqual({});
    expect(parseToolArguments('"str"')).toEqual({});
  });
});
