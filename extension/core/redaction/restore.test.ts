import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECRET_SAMPLES } from './corpus/secrets';
import { createRedactor, createStreamRestorer, restore, type RedactionMap } from './index';
import { MAX_PLACEHOLDER_LENGTH } from './scanner';

const redactor = createRedactor({ email: false, phone: false });
const text = SECRET_SAMPLES.slice(0, 12)
  .map((s) => s.text)
  .join(' ');
const { map } = redactor.redact(text, redactor.scan(text));
const placeholders = map.entries.map((e) => e.placeholder);
const ANSWER = `Sure. ${placeholders.join(' and ')} are keys [not a placeholder] [SECRET_99] arr[0] [ends with [`;

function streamed(chunks: readonly string[], m: RedactionMap = map): string {
  const r = createStreamRestorer(m);
  return chunks.map((c) => r.push(c)).join('') + r.flush();
}

describe('stream restorer', () => {
  it('matches restore() when the answer is split at every offset', () => {
    const whole = restore(ANSWER, map);
    for (let i = 0; i <= ANSWER.length; i++) {
      expect(streamed([ANSWER.slice(0, i), ANSWER.slice(i)])).toBe(whole);
    }
  });

  it('matches restore() for any chunking (property)', () => {
    const whole = restore(ANSWER, map);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: ANSWER.length }), { maxLength: 30 }),
        (cuts) => {
          const at = [0, ...[...cuts].sort((a, b) => a - b), ANSWER.length];
          const chunks = at.slice(1).map((end, i) => ANSWER.slice(at[i], end));
          return streamed(chunks) === whole;
        },
      ),
    );
  });

  it('streams character by character', () => {
    expect(streamed([...ANSWER])).toBe(restore(ANSWER, map));
  });

  it('never shows half a placeholder and holds back at most one', () => {
    const r = createStreamRestorer(map);
    const first = placeholders[0]!;
    expect(r.push(`key ${first.slice(0, 4)}`)).toBe('key ');
    const original = map.entries[0]!.original;
    expect(r.push(`${first.slice(4)} done`)).toBe(`${original} done`);
    expect(r.push('x'.repeat(10) + '[' + 'A'.repeat(60))).toBe(
      'x'.repeat(10) + '[' + 'A'.repeat(60),
    );
    expect(r.push('[SECRET_')).toBe('');
    expect(r.flush()).toBe('[SECRET_');
    expect(MAX_PLACEHOLDER_LENGTH).toBeLessThan(64);
  });

  it('passes ordinary brackets straight through', () => {
    const r = createStreamRestorer(map);
    expect(r.push('see [the docs](https://x.y) ')).toBe('see [the docs](https://x.y) ');
    expect(r.push('a[i] = [1, 2]')).toBe('a[i] = [1, 2]');
  });
});
