import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { pgTestUrl } from '../store/pg-test-env';
import { pgClientConfig } from '../store/postgres-store';
import { createLocalNotifier, type SeqNotifier } from './notifier';
import { createPgNotifier } from './pg-notifier';

describe('local notifier', () => {
  it('delivers to subscribers of that account only, and stops after unsubscribe', async () => {
    const n = createLocalNotifier();
    const got: [string, number][] = [];
    const off = n.subscribe('a', (s) => got.push(['a', s]));
    n.subscribe('b', (s) => got.push(['b', s]));
    await n.publish('a', 1);
    off();
    await n.publish('a', 2);
    await n.publish('b', 3);
    expect(got).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });

  it('a throwing listener does not stop the others', async () => {
    const n = createLocalNotifier();
    const got: number[] = [];
    n.subscribe('a', () => {
      throw new Error('broken socket');
    });
    n.subscribe('a', (s) => got.push(s));
    await n.publish('a', 7);
    expect(got).toEqual([7]);
  });
});

const url = pgTestUrl();

describe.skipIf(url === undefined)('PostgreSQL LISTEN/NOTIFY notifier', () => {
  const channel = `nook_${randomBytes(6).toString('hex')}`;
  const open: SeqNotifier[] = [];
  const make = async (appName: string) => {
    const n = await createPgNotifier({
      clientConfig: { ...pgClientConfig({ url: url! }), application_name: appName },
      channel,
      reconnectMs: 50,
    });
    open.push(n);
    return n;
  };
  afterAll(async () => {
    for (const n of open) await n.close();
  });

  const nextSeq = (n: SeqNotifier, account: string) =>
    new Promise<number>((resolve) => {
      const off = n.subscribe(account, (s) => {
        off();
        resolve(s);
      });
    });

  it('fans out across instances and survives a dropped LISTEN connection', async () => {
    const tag = randomBytes(4).toString('hex');
    const a = await make(`nook-a-${tag}`);
    const b = await make(`nook-b-${tag}`);
    const first = nextSeq(b, 'acc');
    await a.publish('acc', 1);
    expect(await first).toBe(1);

    // Kill b's listening connection from the server side, as a failover would.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [`nook-b-${tag}`],
    );
    // Wait until b has LISTENed again (its new backend appears), then publish.
    for (;;) {
      const r = await admin.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [`nook-b-${tag}`],
      );
      if ((r.rows[0] as { n: number }).n > 0) break;
      await new Promise((r2) => setTimeout(r2, 20));
    }
    await admin.end();
    let got: number | undefined;
    const off = b.subscribe('acc', (s) => (got = s));
    for (let seq = 2; got === undefined; seq++) {
      await a.publish('acc', seq);
      await new Promise((r) => setTimeout(r, 20));
    }
    off();
    expect(got).toBeGreaterThanOrEqual(2);
  });

  it('ignores foreign payloads on the channel', async () => {
    const n = await make('nook-c');
    const got: number[] = [];
    n.subscribe('acc2', (s) => got.push(s));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('SELECT pg_notify($1, $2)', [channel, 'not json']);
    await admin.query('SELECT pg_notify($1, $2)', [
      channel,
      JSON.stringify({ i: 'x', a: 'acc2', s: 9 }),
    ]);
    await admin.end();
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([9]);
  });
});
