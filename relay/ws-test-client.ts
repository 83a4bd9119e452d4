/** A tiny WebSocket test client: queued messages and a close promise (tests only). */
import WebSocket from 'ws';
import type { WsServerMessage } from '../shared/protocol';

export interface TestSocket {
  ws: WebSocket;
  next(): Promise<WsServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
  send(msg: unknown): void;
}

/** Connects to `url` and resolves once open. */
export async function openSocket(url: string): Promise<TestSocket> {
  const ws = new WebSocket(url);
  const queue: WsServerMessage[] = [];
  const waiters: ((m: WsServerMessage) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as WsServerMessage;
    const w = waiters.shift();
    if (w) w(msg);
    else queue.push(msg);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    closed,
    next: () => {
      const m = queue.shift();
      if (m !== undefined) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        waiters.push(resolve);
        void closed.then((c) => reject(new Error(`socket closed ${c.code} ${c.reason}`)));
      });
    },
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
  };
}

/** Opens a socket and authenticates; resolves after `hello`. */
export async function openAuthed(
  url: string,
  token: string,
): Promise<TestSocket & { hello: WsServerMessage }> {
  const s = await openSocket(url);
  s.send({ type: 'auth', token });
  const hello = await s.next();
  return { ...s, hello };
}
