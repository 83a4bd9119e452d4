import { describe, expect, it } from 'vitest';
import { exceedsNesting, MAX_NESTING } from './nesting-guard.ts';

const nestedList = (depth: number) =>
  Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');

describe('exceedsNesting', () => {
  it('accepts ordinary answers and moderate nesting', () => {
    expect(exceedsNesting('# Title\n\n- a\n  - b\n    - c\n\n> quote\n> > reply\n')).toBe(false);
    expect(exceedsNesting('> '.repeat(MAX_NESTING) + 'x')).toBe(false);
    expect(exceedsNesting(nestedList(MAX_NESTING))).toBe(false);
    expect(exceedsNesting('1. one\n   1. two\n      1. three')).toBe(false);
  });

  it('attack: flags quote bombs, indentation-nested lists and marker runs', () => {
    expect(exceedsNesting('> '.repeat(MAX_NESTING + 1) + 'x')).toBe(true);
    expect(exceedsNesting('>'.repeat(10_000))).toBe(true);
    expect(exceedsNesting(nestedList(MAX_NESTING + 2))).toBe(true);
    expect(exceedsNesting('intro\n\n' + '- '.repeat(40) + 'x')).toBe(true);
    expect(exceedsNesting('1. '.repeat(40) + 'x')).toBe(true);
    expect(exceedsNesting('\t'.repeat(20) + '- x')).toBe(true);
  });
});
