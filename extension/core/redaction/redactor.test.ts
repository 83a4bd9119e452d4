import { describe, expect, it } from 'vitest';
import { SECRET_SAMPLES } from './corpus/secrets';
import {
  RedactionError,
  createRedactor,
  emptyRedactionMap,
  restore,
  type RedactionMap,
} from './index';

const redactor = createRedactor({ email: true, phone: true });
const KEY = SECRET_SAMPLES.find((s) => s.rule === 'github-token')!.secret;
const KEY2 = SECRET_SAMPLES.find((s) => s.rule === 'npm-access-token')!.secret;

function send(text: string, map?: RedactionMap, skip?: Set<string>) {
  const findings = redactor.scan(text, map ? { map } : undefined);
  return { findings, ...redactor.redact(text, findings, { map, skip }) };
}

describe('redact and restore', () => {
  it('round-trips the whole corpus and the provider sees no secret', () => {
    const text = SECRET_SAMPLES.map((s) => s.text).join('\n---\n');
    const out = send(text);
    for (const s of SECRET_SAMPLES) expect(out.text).not.toContain(s.secret);
    expect(restore(out.text, out.map)).toBe(text);
  });

  it('gives the same secret the same placeholder and numbers per kind', () => {
    const out = send(`a ${KEY} b ${KEY2} c ${KEY} card 4111 1111 1111 1111`);
    expect(out.text).toBe('a [SECRET_1] b [SECRET_2] c [SECRET_1] card [CARD_1]');
    expect(out.map.entries).toHaveLength(3);
  });

  it('is idempotent: redacted text has nothing left to find', () => {
    const text = SECRET_SAMPLES.map((s) => s.text).join('\n');
    const once = send(text);
    expect(redactor.scan(once.text)).toEqual([]);
    expect(send(once.text).text).toBe(once.text);
  });

  it('restores placeholders in an answer that rearranges them', () => {
    const out = send(`key ${KEY} and IBAN DE89370400440532013000`);
    const answer = 'Rotate [SECRET_1] now; [IBAN_1] is fine. [SECRET_1] again.';
    expect(restore(answer, out.map)).toBe(
      `Rotate ${KEY} now; DE89370400440532013000 is fine. ${KEY} again.`,
    );
  });

  it('lets the user undo one finding (skip) and keeps the others', () => {
    const text = `keep ${KEY} hide ${KEY2}`;
    const findings = redactor.scan(text);
    const out = redactor.redact(text, findings, { skip: new Set([findings[0]!.id]) });
    expect(out.text).toBe(`keep ${KEY} hide [SECRET_2]`);
    expect(out.summary).toEqual([{ kind: 'secret', count: 1 }]);
    expect(out.map.entries.map((e) => e.placeholder)).toEqual(['[SECRET_2]']);
  });

  it('continues numbering across turns of one conversation', () => {
    const first = send(`one ${KEY}`);
    const second = send(`two ${KEY2} and again ${KEY}`, first.map);
    expect(second.text).toBe('two [SECRET_2] and again [SECRET_1]');
    expect(restore('[SECRET_1] [SECRET_2]', second.map)).toBe(`${KEY} ${KEY2}`);
  });

  it('keeps redacting a value in later turns even where no detector would fire', () => {
    const first = send('DATABASE_URL=postgres://app:Zq8pL2vX9k@db/app');
    const second = send('is Zq8pL2vX9k still the right password?', first.map);
    expect(second.text).toBe('is [PASSWORD_1] still the right password?');
    expect(second.findings[0]?.label).toBe('Redacted earlier in this chat');
    expect(send('is Zq8pL2vX9k still the right password?').text).toContain('Zq8pL2vX9k');
  });

  it('summarises counts for the ledger without any value', () => {
    const out = send(`${KEY} ${KEY} ann@example.com 4111 1111 1111 1111`);
    expect(out.summary).toEqual([
      { kind: 'secret', count: 2 },
      { kind: 'card', count: 1 },
      { kind: 'email', count: 1 },
    ]);
    expect(JSON.stringify(out.summary)).not.toContain(KEY);
  });

  it('gives findings plain-word labels and no secret outside the offsets', () => {
    const [f] = redactor.scan(`token ${KEY}`);
    expect(f).toMatchObject({ kind: 'secret', label: 'GitHub token', placeholder: '[SECRET_1]' });
    expect(JSON.stringify(f)).not.toContain(KEY);
  });
});

describe('attacks', () => {
  it('attack: a literal placeholder in the input is not confused with a real one', () => {
    const text = `I typed [SECRET_1] and [CARD_1] myself; real key ${KEY}`;
    const out = send(text);
    expect(out.text).toBe('I typed [SECRET_1] and [CARD_1] myself; real key [SECRET_2]');
    // The model quoting the user's literal text must not turn into the key.
    expect(restore('You wrote [SECRET_1]; the key is [SECRET_2].', out.map)).toBe(
      `You wrote [SECRET_1]; the key is ${KEY}.`,
    );
    // And a later turn does not hand out the number the user already used.
    expect(send(`new ${KEY2}`, out.map).text).toBe('new [SECRET_3]');
  });

  it('attack: text edited after the preview is refused, never half-redacted', () => {
    const text = `key ${KEY}`;
    const findings = redactor.scan(text);
    const edited = `${text} and ${KEY2}`;
    expect(() => redactor.redact(edited, findings)).toThrow(RedactionError);
    try {
      redactor.redact(`xx${text}`, findings);
      expect.unreachable();
    } catch (e) {
      expect((e as RedactionError).code).toBe('stale-findings');
      expect(String((e as Error).message)).not.toContain(KEY);
    }
  });

  it('attack: forged findings (moved offsets) are refused', () => {
    const text = `key ${KEY}`;
    const [f] = redactor.scan(text);
    const forged = [{ ...f!, start: 0, end: 3 }];
    expect(() => redactor.redact(text, forged)).toThrow(RedactionError);
  });

  it('attack: a tampered map is refused instead of restoring garbage', () => {
    const bad = {
      version: 1,
      entries: [{ placeholder: 'x', kind: 'secret', original: 'y' }],
      reserved: [],
    };
    expect(() => restore('[SECRET_1]', bad as unknown as RedactionMap)).toThrow(RedactionError);
  });

  it('attack: placeholders the model invents stay as they are', () => {
    const out = send(`key ${KEY}`);
    expect(restore('[SECRET_9] [PASSWORD_1] [SECRET_1]', out.map)).toBe(
      `[SECRET_9] [PASSWORD_1] ${KEY}`,
    );
    expect(restore('[SECRET_1]', emptyRedactionMap())).toBe('[SECRET_1]');
  });
});
