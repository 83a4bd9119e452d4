/**
 * The behaviour every adapter's stream shares: map errors, honour the Stop button even
 * when an SDK swallows the abort, refuse a stream that ended without a finish reason,
 * and retry once — quickly, and only before anything was shown — on transient failures.
 */
import type { StreamEvent } from '../../core/chat/provider';
import { ProviderError } from '../../core/chat/provider-error';
import { mapProviderError, type SdkFamily } from './map-error';

/** Retry policy. The SDKs' own retries are off: openai-node would wait out any retry-after. */
export interface RetryPolicy {
  /** Extra attempts before the first event (default 1). */
  retries: number;
  /** Longest wait the panel may spend retrying silently (default 2000 ms). */
  maxRetryWaitMs: number;
}

/** The default policy: one quick retry. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 1, maxRetryWaitMs: 2000 };

/** What guardStream needs to know. */
export interface GuardOptions {
  family: SdkFamily;
  provider: string;
  signal?: AbortSignal;
  retry: RetryPolicy;
}

/**
 * Runs `open()` (one SDK request, yielding normalized events and ending with `done`)
 * under the shared rules. Every failure comes out as a ProviderError.
 */
export async function* guardStream(
  open: () => AsyncIterable<StreamEvent>,
  o: GuardOptions,
): AsyncGenerator<StreamEvent, void, undefined> {
  for (let attempt = 0; ; attempt++) {
    let shown = false;
    let done = false;
    try {
      if (o.signal?.aborted) throw aborted(o.provider, false);
      for await (const ev of open()) {
        // Some SDKs keep handing out buffered events after an abort.
        if (o.signal?.aborted) throw aborted(o.provider, shown);
        if (done) continue;
        if (ev.type === 'done') done = true;
        if (ev.type !== 'usage') shown = true;
        yield ev;
      }
      if (o.signal?.aborted && !done) throw aborted(o.provider, shown);
      if (!done)
        throw new ProviderError('interrupted', { provider: o.provider, afterOutput: shown });
      return;
    } catch (e) {
      // The SDKs end quietly, or with their own error types, when the signal fires.
      const err = o.signal?.aborted
        ? aborted(o.provider, shown)
        : mapProviderError(o.family, e, { provider: o.provider, afterOutput: shown });
      const wait = retryWait(err, o.retry);
      if (shown || attempt >= o.retry.retries || wait === undefined) throw err;
      await sleep(wait, o.signal);
      if (o.signal?.aborted) throw aborted(o.provider, false);
    }
  }
}

function aborted(provider: string, afterOutput: boolean): ProviderError {
  return new ProviderError('aborted', { provider, afterOutput });
}

/** How long to wait before a silent retry, or undefined when the error is not worth one. */
function retryWait(err: ProviderError, policy: RetryPolicy): number | undefined {
  const transient = err.kind === 'server' || err.kind === 'network' || err.kind === 'rate-limit';
  if (!transient) return undefined;
  const wait = err.retryAfterMs ?? 250;
  return wait <= policy.maxRetryWaitMs ? wait : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Parses streamed tool-call arguments; malformed JSON from the model becomes `{}`, which
 * the tool's own schema check then rejects with a message the model can act on. */
export function parseToolArguments(json: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
