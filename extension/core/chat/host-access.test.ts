import { describe, expect, it } from 'vitest';
import { orphanedOriginRule } from './host-access';
import { ProviderKind } from './provider';

const ollama = { kind: ProviderKind.Compatible, baseUrl: 'http://127.0.0.1:11434/v1' };
const ollamaToo = { kind: ProviderKind.Compatible, baseUrl: 'http://127.0.0.1:11434/v1/' };
const lmStudio = { kind: ProviderKind.Compatible, baseUrl: 'http://127.0.0.1:1234/v1' };

describe('orphanedOriginRule', () => {
  it('names the origin of a removed compatible provider nobody else uses', () => {
    expect(orphanedOriginRule(ollama, [lmStudio])).toBe('http://127.0.0.1:11434');
    expect(orphanedOriginRule(ollama, [])).toBe('http://127.0.0.1:11434');
  });

  it('keeps the rule while another compatible provider uses the same origin', () => {
    expect(orphanedOriginRule(ollama, [ollamaToo, lmStudio])).toBeUndefined();
  });

  it('an OpenAI-kind provider on the same origin does not keep the rule (it never needed it)', () => {
    expect(
      orphanedOriginRule(ollama, [{ kind: ProviderKind.OpenAI, baseUrl: ollama.baseUrl }]),
    ).toBe('http://127.0.0.1:11434');
  });

  it('has nothing to drop for providers without a rule', () => {
    expect(orphanedOriginRule({ kind: ProviderKind.OpenAI }, [])).toBeUndefined();
    expect(
      orphanedOriginRule({ kind: ProviderKind.Anthropic, baseUrl: 'http://127.0.0.1:9/' }, []),
    ).toBeUndefined();
    expect(
      orphanedOriginRule({ kind: ProviderKind.Compatible, baseUrl: 'not a url' }, []),
    ).toBeUndefined();
  });
});
