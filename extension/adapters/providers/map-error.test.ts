import Anthropic from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { mapProviderError, retryAfterFromHeaders } from './map-error';

const ctx = { provider: 'P', afterOutput: false };

describe('retryAfterFromHeaders', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '20' }))).toBe(20_000);
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = retryAfterFromHeaders(new Headers({ 'retry-after': inAMinute }));
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterFromHeaders(new Headers())).toBeUndefined();
  });
});

describe('mapProviderError', () => {
  it('maps fetch failures before an answer to network, and a cut body to interrupted', () => {
    expect(mapProviderError('gemini', new TypeError('fetch failed'), ctx).kind).toBe('network');
    expect(mapProviderError('gemini', new TypeError('terminated'), ctx).kind).toBe('interrupted');
    expect(
      mapProviderError('openai', new TypeError('fetch failed'), { ...ctx, afterOutput: true }).kind,
    ).toBe('interrupted');
    const conn = new OpenAI.APIConnectionError({
      message: 'Connection error.',
      cause: new TypeError('terminated'),
    });
    expect(mapProviderError('openai', conn, ctx).kind).toBe('interrupted');
  });

  it('maps AbortError and the SDK abort classes to aborted', () => {
    expect(mapProviderError('gemini', new DOMException('x', 'AbortError'), ctx).kind).toBe(
      'aborted',
    );
    expect(mapProviderError('openai', new OpenAI.APIUserAbortError(), ctx).kind).toBe('aborted');
    expect(mapProviderError('anthropic', new Anthropic.APIUserAbortError(), ctx).kind).toBe(
      'aborted',
    );
  });

  it("maps Gemini's 400 API_KEY_INVALID to auth", () => {
    const body = {
      error: {
        code: 400,
        message: 'API key not valid.',
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
        ],
      },
    };
    const e = mapProviderError(
      'gemini',
      new ApiError({ status: 400, message: JSON.stringify(body) }),
      ctx,
    );
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(400);
  });

  it('maps an Anthropic in-stream rate_limit_error (no status) to rate-limit', () => {
    const err = new Anthropic.APIError(
      undefined,
      { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      undefined,
      new Headers(),
    );
    expect(mapProviderError('anthropic', err, ctx).kind).toBe('rate-limit');
  });

  it('maps 413 and context messages from compatible servers to context-length', () => {
    const e413 = OpenAI.APIError.generate(
      413,
      { error: { message: 'too large' } },
      undefined,
      new Headers(),
    );
    expect(mapProviderError('openai', e413, ctx).kind).toBe('context-length');
    const vllm = OpenAI.APIError.generate(
      400,
      { error: { message: "This model's maximum context length is 4096 tokens." } },
      undefined,
      new Headers(),
    );
    expect(mapProviderError('openai', vllm, ctx).kind).toBe('context-length');
  });

  it('maps other 4xx to bad-request and unknown errors to server', () => {
    const e422 = OpenAI.APIError.generate(
      422,
      { error: { message: 'bad' } },
      undefined,
      new Headers(),
    );
    expect(mapProviderError('openai', e422, ctx).kind).toBe('bad-request');
    expect(mapProviderError('openai', new SyntaxError('bad json'), ctx).kind).toBe('server');
  });
});
