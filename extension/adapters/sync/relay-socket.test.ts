import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketRelaySocket, type WebSocketLike } from './relay-socket';

/** A scripted WebSocket double: records frames, lets the test play the server. */
class FakeWs implements WebSocketLike {
  static all: FakeWs[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWs.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  server(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  FakeWs.all = [];
  vi.useRealTimers();
});

describe('WebSocket relay socket', () => {
  it('authenticates in the first frame, never in the URL, and relays seq numbers', async () => {
    const seqs: number[] = [];
    const s = createWebSocketRelaySocket({
      url: 'wss://r.example/v1/ws',
      getToken: async () => 'nka_secret',
      WebSocket: FakeWs,
    });
    const frames: unknown[] = [];
    s.onNotify((q) => seqs.push(q));
    s.onServerMessage((m) => frames.push(m));
    await flush();
    const ws = FakeWs.all[0]!;
    expect(s.send({ type: 'ping' })).toBe(false); // not authenticated yet
    expect(ws.url).not.toContain('nka_');
    ws.open();
    expect(JSON.parse(ws.sent[0]!)).toEqual({ type: 'auth', token: 'nka_secret' });
    ws.server({ type: 'hello', protocolVersion: 1, seq: 4 });
    ws.server({ type: 'notify', seq: 5 });
    ws.server({ type: 'notify', seq: -1 }); // malformed: ignored
    expect(s.status).toBe('online');
    expect(seqs).toEqual([4, 5]);
    ws.server({ type: 'output', runId: 'r1', stream: 'stdout', data: 'x' });
    expect(frames).toHaveLength(4);
    expect(s.send({ type: 'ping' })).toBe(true);
    expect(ws.sent.at(-1)).toBe('{"type":"ping"}');
    s.close();
  });

  it('reconnects with growing backoff after drops, with a fresh token each time', async () => {
    vi.useFakeTimers();
    let n = 0;
    const statuses: string[] = [];
    const s = createWebSocketRelaySocket({
      url: 'wss://r.example/v1/ws',
      getToken: async () => `tok${++n}`,
      WebSocket: FakeWs,
      backoff: { baseMs: 100, maxMs: 10_000, random: () => 0.5 },
    });
    s.onStatusChange((x) => statuses.push(x));
    await vi.advanceTimersByTimeAsync(0);
    FakeWs.all[0]!.open();
    FakeWs.all[0]!.server({ type: 'hello', protocolVersion: 1, seq: 0 });
    FakeWs.all[0]!.drop(1006);
    await vi.advanceTimersByTimeAsync(74); // first delay is 75 ms (equal jitter at 0.5)
    expect(FakeWs.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWs.all).toHaveLength(2);
    FakeWs.all[1]!.drop(4401); // token rejected: try again later with a new one
    await vi.advanceTimersByTimeAsync(150);
    expect(FakeWs.all).toHaveLength(3);
    FakeWs.all[2]!.open();
    expect(JSON.parse(FakeWs.all[2]!.sent[0]!)).toEqual({ type: 'auth', token: 'tok3' });
    expect(statuses).toEqual(['online', 'offline']);
    s.close();
  });

  it('stops for good when the account is gone (4410)', async () => {
    vi.useFakeTimers();
    const s = createWebSocketRelaySocket({
      url: 'wss://r.example/v1/ws',
      getToken: async () => 't',
      WebSocket: FakeWs,
    });
    await vi.advanceTimersByTimeAsync(0);
    FakeWs.all[0]!.drop(4410);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWs.all).toHaveLength(1);
    expect(s.status).toBe('error');
  });
});
