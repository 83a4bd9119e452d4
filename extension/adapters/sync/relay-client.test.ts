import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../../shared/crypto';
import type { SessionReply } from '../../../shared/protocol';
import { isRelayError, isSyncError } from '../../core/sync/errors';
import { createMemoryLocalStore } from '../../core/sync/memory-local-store';
import { createSyncEngine } from '../../core/sync/sync-engine';
import { fakeSyncKeys } from '../../core/sync/sync-test-kit';
import { createMemorySessionStore, createRelayClient } from './relay-client';
import { parseRelayUrl, relayWsUrl, type Fetch } from './relay-http';

const tok = (p: 'nka' | 'nkr', n: number) => `${p}_${String(n).padStart(43, 'x')}`;
const session = (n: number, accessExpiresAt: number): SessionReply => ({
  accountId: 'a'.repeat(32),
  deviceId: 'b'.repeat(32),
  accessToken: tok('nka', n),
  accessExpiresAt,
  refreshToken: tok('nkr', n),
  refreshExpiresAt: 10 ** 13,
});
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const emptyPull = { records: [], cursor: 0, hasMore: false, seq: 0 };

describe('relay URL rules', () => {
  it.each([
    'https://relay.example',
    'http://127.0.0.1:8787',
    'http://[::1]:8787',
    'http://localhost',
  ])('accepts %s', (u) => expect(() => parseRelayUrl(u)).not.toThrow());
  it.each([
    'http://relay.example',
    'http://10.0.0.5',
    'http://127.0.0.1.nip.io',
    'ftp://127.0.0.1',
    'https://user:pw@relay.example',
    'https://relay.example/?token=x',
    'not a url',
  ])('refuses %s', (u) => {
    expect(() => parseRelayUrl(u)).toThrow(expect.objectContaining({ code: 'insecure-url' }));
  });
  it('derives the WebSocket URL', () => {
    expect(relayWsUrl(parseRelayUrl('https://r.example/nook/'))).toBe('wss://r.example/nook/v1/ws');
    expect(relayWsUrl(parseRelayUrl('http://127.0.0.1:9'))).toBe('ws://127.0.0.1:9/v1/ws');
  });
});

describe('relay client', () => {
  it('sends the token in the header and nothing secret in the URL', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetch: Fetch = async (url, init) => {
      seen.push({ url, init });
      return json(200, emptyPull);
    };
    const c = createRelayClient({
      baseUrl: 'https://r.example',
      fetch,
      sessions: createMemorySessionStore(session(1, 10 ** 13)),
    });
    await c.transport.pull(5, 100);
    expect(seen[0]!.url).toBe('https://r.example/v1/sync/pull?since=5&limit=100');
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBe(
      `Bearer ${tok('nka', 1)}`,
    );
    expect(seen[0]!.url).not.toContain('nka_');
  });

  it('maps relay failures to coded, retryable-or-not errors', async () => {
    const cases: [Response | Error, string, boolean][] = [
      [new TypeError('fetch failed'), 'network', true],
      [json(503, { error: { code: 'unavailable', message: 'x' } }), 'unavailable', true],
      [
        json(429, { error: { code: 'rate-limited', message: 'x', retryAfter: 7 } }),
        'rate-limited',
        true,
      ],
      [json(409, { error: { code: 'stale-manifest', message: 'x' } }), 'stale-manifest', false],
      [json(400, { error: { code: 'invalid-request', message: 'x' } }), 'rejected', false],
      [json(200, { nonsense: true }), 'bad-reply', false],
    ];
    for (const [res, code, retryable] of cases) {
      const c = createRelayClient({
        baseUrl: 'https://r.example',
        fetch: async () => {
          if (res instanceof Error) throw res;
          return res.clone();
        },
        sessions: createMemorySessionStore(session(1, 10 ** 13)),
      });
      const err = await c.transport.pull(0, 10).catch((e: unknown) => e);
      expect(err).toMatchObject({ code, retryable });
      if (code === 'rate-limited') expect(err).toMatchObject({ retryAfter: 7 });
    }
  });

  it('refreshes an expiring token once, even for concurrent calls (no refresh-token reuse)', async () => {
    let refreshes = 0;
    const store = createMemorySessionStore(session(1, 0)); // already expired
    const fetch: Fetch = async (url, init) => {
      if (url.endsWith('/v1/token/refresh')) {
        refreshes += 1;
        expect(JSON.parse(String(init.body))).toEqual({ refreshToken: tok('nkr', 1) });
        return json(200, session(2, 10 ** 13));
      }
      const auth = (init.headers as Record<string, string>).authorization;
      return auth === `Bearer ${tok('nka', 2)}`
        ? json(200, emptyPull)
        : json(401, { error: { code: 'token-expired', message: 'x' } });
    };
    const c = createRelayClient({ baseUrl: 'https://r.example', fetch, sessions: store });
    await Promise.all([c.transport.pull(0, 1), c.transport.pull(0, 1), c.transport.pull(0, 1)]);
    expect(refreshes).toBe(1);
    expect((await store.load())?.refreshToken).toBe(tok('nkr', 2));
  });

  it('a reused refresh token signs the device out', async () => {
    const store = createMemorySessionStore(session(1, 0));
    const c = createRelayClient({
      baseUrl: 'https://r.example',
      fetch: async () => json(401, { error: { code: 'token-reused', message: 'x' } }),
      sessions: store,
    });
    const err = await c.transport.pull(0, 1).catch((e: unknown) => e);
    expect(isRelayError(err, 'token-reused')).toBe(true);
    expect(await store.load()).toBeUndefined();
  });

  it('returns undefined for a missing manifest', async () => {
    const c = createRelayClient({
      baseUrl: 'https://r.example',
      fetch: async () => json(404, { error: { code: 'not-found', message: 'x' } }),
      sessions: createMemorySessionStore(session(1, 10 ** 13)),
    });
    expect(await c.transport.getManifest()).toBeUndefined();
  });

  it('still refuses a pull reply whose envelope is not a bounded string (bad-reply)', async () => {
    const record = { collection: 'memory', id: 'k1', revision: 1, seq: 1, deleted: false };
    for (const envelope of [42, null, ['Zg=='], { b64: 'Zg==' }]) {
      const c = createRelayClient({
        baseUrl: 'https://r.example',
        fetch: async () => json(200, { ...emptyPull, records: [{ ...record, envelope }], seq: 1 }),
        sessions: createMemorySessionStore(session(1, 10 ** 13)),
      });
      const err = await c.transport.pull(0, 10).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'bad-reply', retryable: false });
    }
  });

  it('attack: a non-base64 envelope served in a pull or a push conflict is refused with a typed error and nothing is applied', async () => {
    // The reply schema leaves base64 to the strict decoder, so this must still fail loudly:
    // alphabet, whitespace, missing padding, non-canonical bits, padding in the middle.
    const malformed = ['not base64!', 'Zm9v\n', 'Zm9v    ', 'Zg=', 'Zh==', 'Zg==Zg==', 'Zm9v-_8A'];
    for (const envelope of malformed) {
      for (const where of ['pull', 'conflict'] as const) {
        const served = { revision: 1, seq: 1, deleted: false, envelope };
        const fetch: Fetch = async (url, init) => {
          if (url.includes('/v1/sync/manifest')) {
            return json(404, { error: { code: 'not-found', message: 'x' } });
          }
          if (url.includes('/v1/sync/pull')) {
            const records = where === 'pull' ? [{ collection: 'memory', id: 'k1', ...served }] : [];
            return json(200, { ...emptyPull, records, cursor: 1, seq: 1 });
          }
          const ops = (JSON.parse(String(init.body)) as { ops: { opId: string }[] }).ops;
          return json(200, {
            results: ops.map((op) => ({ opId: op.opId, status: 'conflict', current: served })),
            seq: 1,
          });
        };
        const store = createMemoryLocalStore();
        const engine = createSyncEngine({
          transport: createRelayClient({
            baseUrl: 'https://r.example',
            fetch,
            sessions: createMemorySessionStore(session(1, 10 ** 13)),
          }).transport,
          store,
          keys: fakeSyncKeys(),
          device: 'A',
          sleep: async () => undefined,
        });
        if (where === 'conflict') await engine.setBody('memory', 'k2', 'mine');
        const err = await engine.sync().catch((e: unknown) => e);
        expect(isSyncError(err, 'record-swap'), `${where} ${JSON.stringify(envelope)}`).toBe(true);
        expect((err as Error).message).toMatch(/malformed envelope/);
        expect(await engine.read('memory', 'k1')).toBeUndefined();
        if (where === 'conflict') {
          // The local write is kept (not lost, not overwritten) for the next pass.
          expect(await engine.read('memory', 'k2')).toMatchObject({ value: 'mine' });
        }
      }
    }
  });

  it('hands a well-formed served envelope through unchanged', async () => {
    const envelope = toBase64(Uint8Array.of(1, 2, 3, 4, 5));
    const page = {
      ...emptyPull,
      records: [{ collection: 'memory', id: 'k1', revision: 1, seq: 1, deleted: false, envelope }],
      cursor: 1,
      seq: 1,
    };
    const c = createRelayClient({
      baseUrl: 'https://r.example',
      fetch: async () => json(200, page),
      sessions: createMemorySessionStore(session(1, 10 ** 13)),
    });
    expect(await c.transport.pull(0, 10)).toEqual(page);
  });
});
