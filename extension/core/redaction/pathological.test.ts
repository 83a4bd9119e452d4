/**
 * ReDoS guard: inputs built to make backtracking regexes explode. Nothing here measures
 * time (the benchmark does); each case must simply finish inside the suite's test timeout
 * and give the right answer. A quadratic rule would blow far past it at these sizes.
 */
import { describe, expect, it } from 'vitest';
import { SECRET_SAMPLES } from './corpus/secrets';
import { createRedactor, createStreamRestorer, restore } from './index';

const MB = 1 << 20;
const redactor = createRedactor({ email: true, phone: true });

const PATHOLOGICAL: Record<string, string> = {
  'one long word': 'a'.repeat(MB),
  'digit run': '1'.repeat(MB),
  'spaced digit groups': '4111 '.repeat(MB / 5),
  'unterminated private keys': '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(MB / 32),
  'END lines only': '-----END PRIVATE KEY-----\n'.repeat(MB / 26),
  'JWT prefixes': `eyJ${'a'.repeat(20)}.`.repeat(MB / 24),
  'at signs in long words': `${'a'.repeat(60)}@`.repeat(MB / 61),
  'endless domain': `x@${'a.'.repeat(MB / 2)}`,
  'half connection strings': `postgres://${'u'.repeat(100)}:`.repeat(MB / 112),
  'IBAN prefixes': 'DE89 '.repeat(MB / 5),
  'quotes after password': 'password: "'.repeat(MB / 11),
  'bearer without token': 'Bearer '.repeat(MB / 7),
  'sk- prefixes': 'sk-'.repeat(MB / 3),
  'plus signs': '+1 '.repeat(MB / 3),
};

describe('pathological input', () => {
  it.each(Object.entries(PATHOLOGICAL))('attack: %s completes', (_name, text) => {
    const found = redactor.scan(text);
    for (let i = 1; i < found.length; i++) {
      expect(found[i]!.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
    }
  });

  it('redacts a 5 MB paste with secrets spread through it and restores it exactly', () => {
    const filler = 'Lorem ipsum dolor sit amet 2024-11-23, v1.2.3, order 123-456. '.repeat(1300);
    const parts: string[] = [];
    let size = 0;
    let i = 0;
    while (size < 5 * MB) {
      const s = SECRET_SAMPLES[i++ % SECRET_SAMPLES.length]!;
      parts.push(filler, s.text, '\n');
      size += filler.length + s.text.length + 1;
    }
    const text = parts.join('');
    const findings = redactor.scan(text);
    expect(findings.length).toBeGreaterThanOrEqual(i);
    const out = redactor.redact(text, findings);
    expect(out.text).not.toContain(SECRET_SAMPLES[0]!.secret);
    expect(restore(out.text, out.map)).toBe(text);
  });

  it('stream-restores a long run of brackets without holding it back', () => {
    const r = createStreamRestorer({ version: 1, entries: [], reserved: [] });
    const chunk = '[['.repeat(MB / 2);
    expect(r.push(chunk).length + r.flush().length).toBe(chunk.length);
  });
});
