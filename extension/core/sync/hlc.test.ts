import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareHlc,
  createHlcClock,
  parseHlc,
  receiveHlc,
  serializeHlc,
  tickHlc,
  type Hlc,
} from './hlc';

const hlc: fc.Arbitrary<Hlc> = fc.record({
  wall: fc.integer({ min: 0, max: 2 ** 52 }),
  counter: fc.integer({ min: 0, max: 36 ** 6 - 2 }),
  node: fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/),
});

describe('hybrid logical clock', () => {
  it('serialises so that string order equals clock order, and parses back', () => {
    fc.assert(
      fc.property(hlc, hlc, (a, b) => {
        const sa = serializeHlc(a);
        const sb = serializeHlc(b);
        expect(parseHlc(sa)).toEqual(a);
        expect(Math.sign(sa < sb ? -1 : sa > sb ? 1 : 0)).toBe(Math.sign(compareHlc(a, b)));
      }),
    );
  });

  it('send: every stamp is greater than the last, even when the wall clock goes back', () => {
    fc.assert(
      fc.property(
        hlc,
        fc.array(fc.integer({ min: 0, max: 2 ** 52 }), { maxLength: 20 }),
        (start, walls) => {
          let last = start;
          for (const w of walls) {
            const next = tickHlc(last, w);
            expect(compareHlc(next, last)).toBeGreaterThan(0);
            expect(next.wall).toBeGreaterThanOrEqual(w);
            last = next;
          }
        },
      ),
    );
  });

  it('receive: the result is after both the local and the remote stamp', () => {
    fc.assert(
      fc.property(hlc, hlc, fc.integer({ min: 0, max: 2 ** 52 }), (local, remote, now) => {
        const r = receiveHlc(local, { ...remote, node: 'zz' }, now);
        expect(r.node).toBe(local.node);
        expect(compareHlc({ ...r, node: '' }, { ...local, node: '' })).toBeGreaterThan(0);
        expect(compareHlc({ ...r, node: '' }, { ...remote, node: '' })).toBeGreaterThan(0);
      }),
    );
  });

  it('a device with a slow clock still writes after what it has seen', () => {
    const slow = createHlcClock('slow', { now: () => 1000 });
    slow.observe({ wall: 5000, counter: 3, node: 'fast' });
    const next = slow.now();
    expect(next).toEqual({ wall: 5000, counter: 5, node: 'slow' });
  });

  it('a counter at its limit rolls into the next millisecond instead of overflowing', () => {
    const max = 36 ** 6 - 1;
    const next = tickHlc({ wall: 7, counter: max, node: 'a' }, 0);
    expect(next).toEqual({ wall: 8, counter: 0, node: 'a' });
    expect(serializeHlc(next) > serializeHlc({ wall: 7, counter: max, node: 'a' })).toBe(true);
  });

  it('resumes from a persisted stamp', () => {
    const c = createHlcClock('d1', { now: () => 10, last: { wall: 99, counter: 7, node: 'x' } });
    expect(c.now()).toEqual({ wall: 99, counter: 8, node: 'd1' });
  });

  it('rejects malformed stamps with bad-record', () => {
    for (const s of ['', 'x', '0-0-a', `${'0'.repeat(11)}-${'0'.repeat(6)}-a-b`, 42, null]) {
      expect(() => parseHlc(s)).toThrow(expect.objectContaining({ code: 'bad-record' }));
    }
  });
});
