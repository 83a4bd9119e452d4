import { describe, expect, it } from 'vitest';
import { checkRelayUrl } from './relay-url';

describe('checkRelayUrl', () => {
  it('accepts https anywhere and http to loopback, and names the origin to ask for', () => {
    expect(checkRelayUrl(' https://relay.example.org/nook/ ')).toEqual({
      ok: true,
      url: 'https://relay.example.org/nook',
      origin: 'https://relay.example.org',
    });
    for (const u of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787']) {
      expect(checkRelayUrl(u).ok).toBe(true);
    }
  });

  it.each([
    ['', /enter the address/i],
    ['relay.example.org', /not a valid address/i],
    ['http://relay.example.org', /plain http:\/\/ would expose/i],
    ['http://192.168.1.10:8787', /plain http:\/\/ would expose/i],
    ['ftp://relay.example.org', /must start with https/i],
    ['https://user:pw@relay.example.org', /password or a query/i],
    ['https://relay.example.org/?token=x', /password or a query/i],
  ])('refuses %j with the reason', (raw, reason) => {
    const r = checkRelayUrl(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(reason);
  });
});
