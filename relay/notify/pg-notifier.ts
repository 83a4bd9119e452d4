/**
 * Multi-instance fan-out over PostgreSQL LISTEN/NOTIFY. Each instance holds one dedicated
 * connection that LISTENs on the channel; a publish delivers locally at once and NOTIFYs the
 * others (instances ignore their own echoes). Notifications lost while the connection is
 * down are harmless: clients pull on reconnect and on every `hello`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLocalFanout, type SeqNotifier } from './notifier';

interface Payload {
  i: string;
  a: string;
  s: number;
}

function parsePayload(raw: string | undefined): Payload | undefined {
  if (raw === undefined) return undefined;
  try {
    const p = JSON.parse(raw) as Partial<Payload>;
    if (typeof p.i === 'string' && typeof p.a === 'string' && typeof p.s === 'number') {
      return { i: p.i, a: p.a, s: p.s };
    }
  } catch {
    // Not ours (someone else NOTIFYing on the channel): ignore.
  }
  return undefined;
}

/** Connects and LISTENs; resolves once the first LISTEN succeeded. */
export async function createPgNotifier(opts: {
  clientConfig: pg.ClientConfig;
  channel: string;
  onError?: (err: Error) => void;
  reconnectMs?: number;
}): Promise<SeqNotifier> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(opts.channel)) throw new Error('invalid channel name');
  const instance = randomBytes(8).toString('hex');
  const fanout = createLocalFanout();
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const c = new pg.Client(opts.clientConfig);
    c.on('notification', (msg) => {
      if (msg.channel !== opts.channel) return;
      const p = parsePayload(msg.payload);
      if (p !== undefined && p.i !== instance) fanout.deliver(p.a, p.s);
    });
    let dead = false;
    const lost = (err?: Error) => {
      if (err !== undefined) opts.onError?.(err);
      if (dead) return; // 'error' and 'end' both fire for one loss: reconnect once
      dead = true;
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
      schedule();
    };
    // A dropped connection may surface as 'error', as 'end', or both.
    c.on('error', lost);
    c.on('end', () => lost());
    await c.connect();
    await c.query(`LISTEN ${opts.channel}`);
    client = c;
  }

  function schedule(): void {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch((err: Error) => {
        opts.onError?.(err);
        schedule();
      });
    }, opts.reconnectMs ?? 1000);
    timer.unref();
  }

  try {
    await connect();
  } catch (err) {
    closed = true; // no background retries for a notifier that never started
    throw err;
  }

  return {
    async publish(accountId, seq) {
      fanout.deliver(accountId, seq);
      const payload: Payload = { i: instance, a: accountId, s: seq };
      // If the listener connection is down, the others miss this one notify; they catch up
      // on their clients' next pull. A push must not fail because of it.
      await client
        ?.query('SELECT pg_notify($1, $2)', [opts.channel, JSON.stringify(payload)])
        .catch((err: Error) => opts.onError?.(err));
    },
    subscribe: fanout.subscribe,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
