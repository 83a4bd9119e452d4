import { describe, expect, it } from 'vitest';
import { LOOKALIKES } from './corpus/lookalikes';
import { OPT_IN_SAMPLES, SECRET_SAMPLES, type SecretSample } from './corpus/secrets';
import { createRedactor } from './index';

const secretsOnly = createRedactor({ email: false, phone: false });
const everything = createRedactor({ email: true, phone: true });

const named = (list: readonly SecretSample[]) =>
  list.map((s, i) => ({ ...s, name: `${s.rule} #${i}` }));

function findsExactly(text: string, secret: string, rule: string, opts = secretsOnly): boolean {
  return opts.scan(text).some((f) => f.rule === rule && text.slice(f.start, f.end) === secret);
}

describe('secret corpus', () => {
  it('is big and varied enough to mean something', () => {
    expect(SECRET_SAMPLES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(SECRET_SAMPLES.map((s) => s.rule)).size).toBeGreaterThanOrEqual(15);
    for (const s of SECRET_SAMPLES) expect(s.text).toContain(s.secret);
  });

  it.each(named(SECRET_SAMPLES))('finds $name exactly', ({ text, secret, rule }) => {
    expect(findsExactly(text, secret, rule)).toBe(true);
  });

  it.each(named(OPT_IN_SAMPLES))('finds $name only when turned on', ({ text, secret, rule }) => {
    expect(findsExactly(text, secret, rule, everything)).toBe(true);
    expect(secretsOnly.scan(text)).toEqual([]);
  });

  it('turns e-mail and phone on independently', () => {
    const text = 'write to ann@example.com or call +44 20 7946 0958';
    const kinds = (email: boolean, phone: boolean) =>
      createRedactor({ email, phone })
        .scan(text)
        .map((f) => f.kind);
    expect(kinds(true, false)).toEqual(['email']);
    expect(kinds(false, true)).toEqual(['phone']);
    expect(kinds(false, false)).toEqual([]);
  });
});

describe('look-alikes', () => {
  it('has at least 80 entries', () => {
    expect(LOOKALIKES.length).toBeGreaterThanOrEqual(80);
  });

  it.each([
    ['defaults', secretsOnly],
    ['e-mail and phone on', everything],
  ] as const)('mostly pass untouched (%s)', (_name, redactor) => {
    const flagged = LOOKALIKES.filter((l) => redactor.scan(l.text).length > 0).map((l) => l.note);
    // The message names each flagged look-alike, so a regression says which one broke.
    expect(
      flagged.length / LOOKALIKES.length,
      `flagged: ${flagged.join(', ')}`,
    ).toBeLessThanOrEqual(0.02);
  });

  it('flags a look-alike once it is made real (the test can fail)', () => {
    expect(secretsOnly.scan('account 4111 1111 1111 1111').length).toBe(1);
    expect(secretsOnly.scan('account 4111 1111 1111 1112').length).toBe(0);
  });
});

describe('overlaps', () => {
  it('prefers the specific rule over a generic one on the same span', () => {
    const key = SECRET_SAMPLES.find((s) => s.rule === 'openai-api-key')?.secret ?? '';
    const found = secretsOnly.scan(`api_key = "${key}"`);
    expect(found.map((f) => f.rule)).toEqual(['openai-api-key']);
    expect(found[0]?.label).toBe('OpenAI API key');
  });

  it('names a bearer JWT as a JWT', () => {
    const jwt = SECRET_SAMPLES.find((s) => s.rule === 'jwt')?.secret ?? '';
    expect(secretsOnly.scan(`Authorization: Bearer ${jwt}`).map((f) => f.rule)).toEqual(['jwt']);
  });

  it('lets a private-key block swallow token-shaped text inside it', () => {
    const token = SECRET_SAMPLES.find((s) => s.rule === 'github-token')?.secret ?? '';
    const text = `-----BEGIN PRIVATE KEY-----\nAAAA${token}\n-----END PRIVATE KEY-----`;
    expect(secretsOnly.scan(text).map((f) => [f.rule, f.start, f.end])).toEqual([
      ['private-key', 0, text.length],
    ]);
  });

  it('returns ordered, non-overlapping findings over the whole corpus at once', () => {
    const text = [...SECRET_SAMPLES, ...OPT_IN_SAMPLES].map((s) => s.text).join('\n');
    const found = everything.scan(text);
    expect(found.length).toBeGreaterThanOrEqual(SECRET_SAMPLES.length + OPT_IN_SAMPLES.length);
    for (let i = 1; i < found.length; i++) {
      expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
    }
  });

  it('finds two cards in one digit run', () => {
    const text = 'cards 4111 1111 1111 1111 5555 5555 5555 4444';
    expect(secretsOnly.scan(text).map((f) => text.slice(f.start, f.end))).toEqual([
      '4111 1111 1111 1111',
      '5555 5555 5555 4444',
    ]);
  });

  it('hides only the password of a connection string', () => {
    const text = 'postgres://app:Zq8pL2vX9k@db.example.com:5432/app';
    const [f] = secretsOnly.scan(text);
    expect(text.slice(f!.start, f!.end)).toBe('Zq8pL2vX9k');
    expect(f!.label).toBe('Password in a database connection string');
  });
});
