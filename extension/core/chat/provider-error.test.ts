import { describe, expect, it } from 'vitest';
import { ProviderKind, type ProviderConfig } from './provider';
import {
  assertValidProviderConfig,
  PROVIDER_ERROR_KIND,
  ProviderError,
  validateProviderConfig,
} from './provider-error';

const base: ProviderConfig = {
  id: 'p1',
  kind: ProviderKind.OpenAI,
  label: 'OpenAI',
  apiKey: 'sk-test-123',
};
const fields = (cfg: ProviderConfig) => validateProviderConfig(cfg).map((i) => i.field);

describe('validateProviderConfig', () => {
  it('accepts a complete hosted provider and a keyless local server', () => {
    expect(validateProviderConfig(base)).toEqual([]);
    expect(validateProviderConfig({ ...base, kind: ProviderKind.Anthropic })).toEqual([]);
    expect(
      validateProviderConfig({
        id: 'o',
        kind: ProviderKind.Compatible,
        label: 'Ollama',
        baseUrl: 'http://localhost:11434/v1',
      }),
    ).toEqual([]);
  });

  it('requires a key for hosted providers only', () => {
    for (const kind of [ProviderKind.OpenAI, ProviderKind.Anthropic, ProviderKind.Gemini]) {
      expect(fields({ ...base, kind, apiKey: undefined })).toEqual(['apiKey']);
      expect(fields({ ...base, kind, apiKey: '   ' })).toEqual(['apiKey']);
    }
    expect(validateProviderConfig({ ...base, apiKey: undefined })[0]?.message).toBe(
      'Paste your API key.',
    );
  });

  it('rejects a key with whitespace inside (a bad paste)', () => {
    expect(fields({ ...base, apiKey: 'sk-abc\ndef' })).toEqual(['apiKey']);
  });

  it('requires a base URL for compatible endpoints', () => {
    expect(fields({ id: 'c', kind: ProviderKind.Compatible, label: 'LM Studio' })).toEqual([
      'baseUrl',
    ]);
  });

  it('rejects base URLs that are not http(s) URLs', () => {
    for (const baseUrl of [
      'localhost:11434',
      'ftp://example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(fields({ ...base, baseUrl })).toEqual(['baseUrl']);
    }
  });

  it('attack: refuses plain http to anything but loopback', () => {
    for (const baseUrl of [
      'http://example.com/v1',
      'http://192.168.1.10:11434/v1',
      'http://10.0.0.2/v1',
      'http://127.0.0.1.evil.example/v1',
      'http://localhost.evil.example/v1',
    ]) {
      expect(fields({ ...base, baseUrl }), baseUrl).toEqual(['baseUrl']);
    }
    for (const baseUrl of [
      'http://127.0.0.1:1234/v1',
      'http://[::1]:8080/v1',
      'http://localhost:11434/v1',
      'https://openrouter.ai/api/v1',
    ]) {
      expect(fields({ ...base, baseUrl }), baseUrl).toEqual([]);
    }
  });

  it('attack: refuses credentials embedded in the URL (they would reach logs and the ledger)', () => {
    expect(fields({ ...base, baseUrl: 'https://user:secret@example.com/v1' })).toEqual(['baseUrl']);
  });

  it('flags a missing label and an unknown kind', () => {
    expect(fields({ ...base, label: ' ' })).toEqual(['label']);
    expect(fields({ ...base, kind: 'azure' as ProviderConfig['kind'] })).toContain('kind');
  });

  it('assertValidProviderConfig throws a config ProviderError naming the problem', () => {
    expect(() =>
      assertValidProviderConfig({ ...base, baseUrl: 'http://example.com' }),
    ).toThrowError(/OpenAI is not set up correctly: Plain http:\/\/ is only allowed/);
    try {
      assertValidProviderConfig({ ...base, apiKey: '' });
    } catch (e) {
      expect(e).toBeInstanceOf(ProviderError);
      expect((e as ProviderError).kind).toBe('config');
    }
    expect(() => assertValidProviderConfig(base)).not.toThrow();
  });
});

describe('ProviderError.userMessage', () => {
  it('says what happened and what to do, in the words the panel shows', () => {
    expect(new ProviderError('auth', { provider: 'Anthropic', status: 401 }).userMessage()).toBe(
      'Anthropic rejected the key (401): check it in Options → Providers.',
    );
    expect(
      new ProviderError('rate-limit', {
        provider: 'OpenAI',
        status: 429,
        retryAfterMs: 20_000,
      }).userMessage(),
    ).toBe('OpenAI is rate-limiting requests (429): try again in 20 s.');
    expect(
      new ProviderError('rate-limit', {
        provider: 'OpenAI',
        status: 429,
        retryAfterMs: 1,
      }).userMessage(),
    ).toContain('try again in 1 s');
    expect(
      new ProviderError('rate-limit', { provider: 'OpenAI', status: 429 }).userMessage(),
    ).toContain('in a moment');
    expect(new ProviderError('interrupted', { provider: 'OpenAI' }).userMessage()).toBe(
      'The connection dropped mid-answer: the partial answer is kept; press Retry.',
    );
  });

  it('has a non-empty message for every kind, equal to userMessage()', () => {
    for (const kind of PROVIDER_ERROR_KIND) {
      const e = new ProviderError(kind, { provider: 'Gemini', status: 500 });
      expect(e.message).toBe(e.userMessage());
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.name).toBe('ProviderError');
    }
  });
});
