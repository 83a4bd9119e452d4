import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import { testVault } from '../tools/test-kit';
import { createLedgerStore, ledgerToCsv } from './ledger-store';
import { createLedgerSockets, type LedgerWebSocket } from './ledger-socket';
import type { LedgerEntry } from './types';

/** A socket the test drives from the "server" side. */
function fakeSocket() {
  const sent: string[] = [];
  const s: LedgerWebSocket & { readyState: number; closedWith?: number } = {
    readyState: 0,
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send(data: string) {
      if (s.readyState !== 1) throw new Error('InvalidStateError');
      sent.push(data);
    },
    close(code?: number) {
      s.readyState = 3;
      s.closedWith = code;
    },
  };
  const socket = s;
  return {
    socket,
    sent,
    open: () => {
      socket.readyState = 1;
      socket.onopen?.({});
    },
    message: (data: unknown) => socket.onmessage?.({ data }),
    error: () => socket.onerror?.({}),
    serverClose: (code: number) => {
      socket.readyState = 3;
      socket.onclose?.({ code });
    },
  };
}

type Fake = ReturnType<typeof fakeSocket>;

function setup(sink?: { record(e: LedgerEntry): Promise<void> }) {
  const entries: LedgerEntry[] = [];
  const fakes: Fake[] = [];
  let clock = 1_000;
  let n = 0;
  const sockets = createLedgerSockets({
    base: () => {
      const f = fakeSocket();
      fakes.push(f);
      return f.socket;
    },
    sink: sink ?? { record: async (e) => void entries.push(e) },
    origin: 'panel',
    now: () => clock,
    newId: () => `w${++n}`,
  });
  return {
    sockets,
    entries,
    fakes,
    tick: (ms: number) => {
      clock += ms;
      vi.advanceTimersByTime(ms);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ledger sockets', () => {
  it('records one entry on close with bytes both ways (UTF-8 and binary), host, purpose, conversation', () => {
    const { sockets, entries, fakes, tick } = setup();
    const ws = sockets.open('wss://relay.example:8443/v1/ws?x=QUERYSECRET', {
      purpose: 'sandbox',
      conversationId: 'c1',
    });
    const got: unknown[] = [];
    ws.onmessage = (ev) => got.push(ev.data);
    const f = fakes[0] as Fake;
    f.open();
    ws.send('héllo'); // 6 bytes
    f.message('wörld!'); // 7 bytes
    f.message(new Uint8Array(10));
    f.message(new ArrayBuffer(4));
    tick(1_500);
    expect(entries).toEqual([]); // nothing until it ends
    ws.close(1000, 'done');
    expect(f.sent).toEqual(['héllo']);
    expect(got).toHaveLength(3); // frames reach the caller unchanged
    expect(f.socket.closedWith).toBe(1000);
    expect(entries).toEqual([
      {
        id: 'w1',
        at: 1_000,
        host: 'relay.example:8443',
        method: 'GET',
        purpose: 'sandbox',
        origin: 'panel',
        kind: 'websocket',
        conversationId: 'c1',
        bytesSent: 6,
        bytesReceived: 21,
        durationMs: 1_500,
        status: 101,
      },
    ]);
    // The close event that follows does not record it twice.
    f.serverClose(1000);
    expect(entries).toHaveLength(1);
  });

  it('records a socket the server closes, and one that never opened as a failure', () => {
    const { sockets, entries, fakes } = setup();
    const closes: number[] = [];
    const a = sockets.open('ws://127.0.0.1:8787/v1/ws');
    a.onclose = (ev) => closes.push(ev.code);
    (fakes[0] as Fake).open();
    (fakes[0] as Fake).message('{"type":"hello"}');
    (fakes[0] as Fake).serverClose(4401);
    const b = sockets.open('ws://127.0.0.1:9/v1/ws');
    b.onerror = () => closes.push(-1);
    (fakes[1] as Fake).error();
    (fakes[1] as Fake).serverClose(1006);
    expect(closes).toEqual([4401, -1]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ purpose: 'relay', status: 101, bytesReceived: 16 });
    expect(entries[0]?.failure).toBeUndefined();
    expect(entries[1]).toMatchObject({ host: '127.0.0.1:9', failure: 'network-error' });
    expect(entries[1]?.status).toBeUndefined();
  });

  it('a run stopped before the socket opened is recorded as aborted', () => {
    const { sockets, entries } = setup();
    sockets.open('ws://127.0.0.1:8787/v1/ws', { purpose: 'sandbox' }).close();
    expect(entries).toMatchObject([{ failure: 'aborted', bytesSent: 0, bytesReceived: 0 }]);
  });

  it('a long-lived socket gets an entry every 10 minutes with the bytes since the last one', () => {
    const { sockets, entries, fakes, tick } = setup();
    const ws = sockets.open('wss://relay.example/v1/ws');
    const f = fakes[0] as Fake;
    f.open();
    ws.send('{"type":"auth","token":"t"}'); // 27
    f.message('{"type":"hello","seq":1}'); // 24
    tick(10 * 60_000);
    expect(entries).toMatchObject([
      { at: 1_000, bytesSent: 27, bytesReceived: 24, durationMs: 600_000, ongoing: true },
    ]);
    tick(10 * 60_000); // nothing moved: no empty entry
    expect(entries).toHaveLength(1);
    ws.send('{"type":"ping"}'); // 15
    tick(10 * 60_000);
    expect(entries[1]).toMatchObject({
      at: 601_000,
      bytesSent: 15,
      bytesReceived: 0,
      durationMs: 1_200_000,
      ongoing: true,
    });
    f.message('{"type":"notify","seq":2}'); // 25
    tick(60_000);
    f.serverClose(1001);
    expect(entries[2]).toMatchObject({ at: 1_801_000, bytesReceived: 25, durationMs: 60_000 });
    expect(entries[2]?.ongoing).toBeUndefined();
    // Closed: the timer is gone.
    tick(60 * 60_000);
    expect(entries).toHaveLength(3);
    const total = entries.reduce((s, e) => s + e.bytesSent + e.bytesReceived, 0);
    expect(total).toBe(27 + 24 + 15 + 25);
  });

  it('flush (page hide) records the open sockets’ bytes so far, once', () => {
    const { sockets, entries, fakes, tick } = setup();
    sockets.open('wss://relay.example/v1/ws');
    sockets.open('wss://relay.example/v1/ws', { purpose: 'sandbox' }).close();
    (fakes[0] as Fake).open();
    (fakes[0] as Fake).message('abc');
    tick(5_000);
    sockets.flush();
    sockets.flush();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ purpose: 'relay', bytesReceived: 3, ongoing: true });
  });

  it('a failing sink (rejecting or throwing) never breaks the socket', async () => {
    for (const record of [
      () => Promise.reject(new Error('vault locked')),
      () => {
        throw new Error('boom');
      },
    ]) {
      const { sockets, fakes, tick } = setup({ record });
      const ws = sockets.open('wss://relay.example/v1/ws');
      const got: unknown[] = [];
      const closed: number[] = [];
      ws.onmessage = (ev) => got.push(ev.data);
      ws.onclose = (ev) => closed.push(ev.code);
      const f = fakes[0] as Fake;
      f.open();
      ws.send('x');
      f.message('y');
      tick(10 * 60_000);
      f.message('z');
      f.serverClose(1000);
      await Promise.resolve();
      expect(f.sent).toEqual(['x']);
      expect(got).toEqual(['y', 'z']);
      expect(closed).toEqual([1000]);
    }
  });

  it('a socket the platform refuses to create is recorded as a failure and the error passed on', () => {
    const entries: LedgerEntry[] = [];
    const sockets = createLedgerSockets({
      base: () => {
        throw new SyntaxError('blocked by CSP');
      },
      sink: { record: async (e) => void entries.push(e) },
      origin: 'options',
    });
    expect(() => sockets.open('wss://relay.example/v1/ws')).toThrow('blocked by CSP');
    expect(entries).toMatchObject([{ host: 'relay.example', failure: 'network-error' }]);
    vi.advanceTimersByTime(60 * 60_000);
    sockets.flush();
    expect(entries).toHaveLength(1);
  });

  it('works as a WebSocket constructor, and a send that throws is not counted', () => {
    const { sockets, entries, fakes } = setup();
    const ws = new sockets.WebSocket('ws://127.0.0.1:8787/v1/ws');
    expect(() => ws.send('too early')).toThrow();
    expect(ws.readyState).toBe(0);
    (fakes[0] as Fake).open();
    expect(ws.readyState).toBe(1);
    (fakes[0] as Fake).serverClose(1000);
    expect(entries).toMatchObject([{ purpose: 'relay', bytesSent: 0, kind: 'websocket' }]);
  });

  it('stores no frame contents, no path or query, and only ciphertext at rest', async () => {
    vi.useRealTimers();
    const vault = await testVault();
    const { repos, table } = createMemoryRepos(() => vault);
    const store = createLedgerStore({ repo: repos.ledger });
    const written: Promise<void>[] = [];
    const fakes: Fake[] = [];
    const sockets = createLedgerSockets({
      base: () => {
        const f = fakeSocket();
        fakes.push(f);
        return f.socket;
      },
      sink: { record: (e) => (written.push(store.record(e)), written.at(-1) as Promise<void>) },
      origin: 'panel',
    });
    const ws = sockets.open('wss://relay.example/v1/ws?t=PATHSECRET', {
      purpose: 'sandbox',
      conversationId: 'c9',
    });
    const f = fakes[0] as Fake;
    f.open();
    ws.send('{"type":"run","code":"print(CODESECRET)"}');
    f.message('{"type":"output","data":"OUTPUTSECRET"}');
    ws.close();
    await Promise.all(written);
    const [e] = await store.list({ conversationId: 'c9' });
    expect(e).toMatchObject({ host: 'relay.example', purpose: 'sandbox', kind: 'websocket' });
    const shown = JSON.stringify(await store.list()) + ledgerToCsv(await store.list());
    for (const secret of ['CODESECRET', 'OUTPUTSECRET', 'PATHSECRET', '/v1/ws']) {
      expect(shown).not.toContain(secret);
    }
    expect(ledgerToCsv([e as LedgerEntry])).toContain(',panel,websocket,');
    const rows = await table('ledger').query({ kind: 'all' });
    expect(new TextDecoder().decode(rows[0]?.env)).not.toContain('relay.example');
  });
});
