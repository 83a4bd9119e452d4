import { describe, expect, it } from 'vitest';
import { canaryForms, findCanary, makeCanary } from './canary';

// The privacy e2e tests are only as good as this scanner: prove it finds a canary in
// every encoding and at every offset, and stays quiet when the canary is absent.
describe('canary scanner', () => {
  const canary = makeCanary('scan');
  const encodings: Record<string, (s: string) => Buffer> = {
    utf8: (s) => Buffer.from(s, 'utf8'),
    utf16le: (s) => Buffer.from(s, 'utf16le'),
    utf16be: (s) => Buffer.from(s, 'utf16le').swap16(),
    hex: (s) => Buffer.from(Buffer.from(s).toString('hex')),
    base64: (s) => Buffer.from(Buffer.from(s).toString('base64')),
    base64url: (s) => Buffer.from(Buffer.from(s).toString('base64url')),
  };
  for (const [name, encode] of Object.entries(encodings)) {
    for (const prefix of ['', 'a', 'ab', 'abc', 'héllo wörld ']) {
      it(`finds a ${name} canary after ${JSON.stringify(prefix)}`, () => {
        const hay = Buffer.concat([Buffer.from('xx'), encode(`${prefix}${canary} and more`)]);
        expect(findCanary(hay, canary).length).toBeGreaterThan(0);
      });
    }
  }
  it('finds nothing in unrelated or encrypted-looking bytes', () => {
    const hay = Buffer.from(crypto.getRandomValues(new Uint8Array(1 << 16)));
    expect(findCanary(Buffer.concat([hay, Buffer.from(makeCanary('other'))]), canary)).toEqual([]);
  });
  it('has no empty pattern (which would match everything)', () => {
    for (const f of canaryForms(canary)) expect(f.bytes.length).toBeGreaterThan(8);
  });
});
