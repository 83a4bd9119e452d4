import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pad, PAD_BUCKET, unpad } from './padding';

describe('padding', () => {
  it('hides lengths inside a 256-byte bucket', () => {
    expect(pad(new Uint8Array(0)).length).toBe(256);
    expect(pad(new Uint8Array(1)).length).toBe(256);
    expect(pad(new Uint8Array(200)).length).toBe(256);
    expect(pad(new Uint8Array(252)).length).toBe(256);
    expect(pad(new Uint8Array(253)).length).toBe(512);
    expect(pad(new Uint8Array(10_000)).length).toBe(10_240);
  });

  it('round-trips any content', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (p) => {
        const padded = pad(p);
        expect(padded.length % PAD_BUCKET).toBe(0);
        expect(Array.from(unpad(padded))).toEqual(Array.from(p));
      }),
    );
  });

  it('rejects a length that overruns the buffer', () => {
    const padded = pad(new Uint8Array(5));
    padded[3] = 255;
    expect(() => unpad(padded)).toThrow(expect.objectContaining({ code: 'bad-envelope' }));
  });

  it('rejects non-zero padding bytes and non-bucket sizes', () => {
    const padded = pad(new Uint8Array(5));
    padded[200] = 1;
    expect(() => unpad(padded)).toThrow(expect.objectContaining({ code: 'bad-envelope' }));
    expect(() => unpad(new Uint8Array(255))).toThrow(
      expect.objectContaining({ code: 'bad-envelope' }),
    );
    expect(() => unpad(new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'bad-envelope' }),
    );
  });

  it('rejects padding longer than the smallest bucket', () => {
    const twoBuckets = new Uint8Array(512);
    twoBuckets[3] = 5;
    expect(() => unpad(twoBuckets)).toThrow(expect.objectContaining({ code: 'bad-envelope' }));
  });
});
