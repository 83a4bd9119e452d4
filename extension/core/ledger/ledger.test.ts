import { describe, expect, it } from 'vitest';
import { createMemoryRepos } from '../../adapters/db/repos';
import { testVault } from '../tools/test-kit';
import { createLedgerFetch, purposeOf } from './ledger-fetch';
import { createLedgerStore, filterLedger, ledgerToCsv, ledgerToJson } from './ledger-store';
import type { LedgerEntry } from './types';

async function setup(reply: () => Response | Promise<Response>) {
  const vault = await testVault();
  const { repos, table } = createMemoryRepos(() => vault);
  const store = createLedgerStore({ repo: repos.ledger });
  const written: Promise<void>[] = [];
  const sink = {
    record: (e: LedgerEntry) => {
      const p = store.record(e);
      written.push(p);
      return p;
    },
  };
  const seen: string[] = [];
  let n = 0;
  const lf = createLedgerFetch({
    base: (async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return reply();
    }) as typeof fetch,
    sink,
    origin: 'panel',
    now: () => 5000 + n,
    newId: () => `l${++n}`,
  });
  const settled = async () => {
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(written);
  };
  return { lf, store, table: table('ledger'), seen, settled };
}

describe('ledger fetch', () => {
  it('records host, purpose, bytes both ways, conversation and redactions of a chat call', async () => {
    const { lf, store, table, seen, settled } = await setup(
      () => new Response('data: {"x":1}\n\n', { status: 200 }),
    );
    const untag = lf.tag({ conversationId: 'c1', redactions: [{ kind: 'secret', count: 2 }] });
    const res = await lf.fetch('https://api.openai.com/v1/chat/completions?k=SECRETQ', {
      method: 'POST',
      body: JSON.stringify({ messages: ['héllo'] }),
    });
    untag();
    expect(await res.text()).toBe('data: {"x":1}\n\n');
    await settled();
    expect(seen).toEqual(['https://api.openai.com/v1/chat/completions?k=SECRETQ']);
    const [e] = await store.list();
    expect(e).toMatchObject({
      host: 'api.openai.com',
      method: 'POST',
      purpose: 'chat',
      status: 200,
      bytesSent: 23, // "é" is two bytes
      bytesReceived: 15,
      conversationId: 'c1',
      redactions: [{ kind: 'secret', count: 2 }],
      origin: 'panel',
    });
    // Never the path or query, and encrypted at rest.
    expect(JSON.stringify(e)).not.toContain('SECRETQ');
    const rows = await table.query({ kind: 'all' });
    expect(new TextDecoder().decode(rows[0]?.env)).not.toContain('api.openai.com');
  });

  it('does not tag a model list made while a chat is tagged, and records failures', async () => {
    let fail = false;
    const { lf, store, settled } = await setup(() => {
      if (fail) throw new TypeError('Failed to fetch');
      return new Response('{"data":[]}');
    });
    lf.tag({ conversationId: 'c1' });
    await (await lf.fetch('http://127.0.0.1:11434/v1/models')).json();
    fail = true;
    await expect(
      lf.fetch('https://api.anthropic.com/v1/messages', { method: 'POST' }),
    ).rejects.toThrow();
    await settled();
    const entries = await store.list();
    expect(entries.find((e) => e.purpose === 'model-list')).toMatchObject({
      host: '127.0.0.1:11434',
      bytesReceived: 11,
    });
    expect(entries.find((e) => e.purpose === 'model-list')?.conversationId).toBeUndefined();
    expect(entries.find((e) => e.purpose === 'chat')).toMatchObject({ failure: 'network-error' });
  });

  it('classifies the providers’ and relay paths', () => {
    const p = (u: string, m = 'POST') => purposeOf(new URL(u), m);
    expect(p('https://api.anthropic.com/v1/messages')).toBe('chat');
    expect(
      p('https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent'),
    ).toBe('chat');
    expect(p('https://api.openai.com/v1/models', 'GET')).toBe('model-list');
    expect(p('http://127.0.0.1:8787/v1/sync/pull', 'GET')).toBe('relay');
    expect(p('ws://127.0.0.1:8787/v1/ws', 'GET')).toBe('relay');
  });
});

describe('ledger filters and export', () => {
  const entries: LedgerEntry[] = [
    {
      id: 'a',
      at: 10,
      host: 'api.openai.com',
      method: 'POST',
      purpose: 'chat',
      bytesSent: 5,
      bytesReceived: 9,
      origin: 'panel',
      conversationId: 'c1',
      redactions: [{ kind: 'card', count: 1 }],
    },
    {
      id: 'b',
      at: 20,
      host: 'relay.example',
      method: 'GET',
      purpose: 'relay',
      bytesSent: 0,
      bytesReceived: 3,
      origin: 'options',
      status: 200,
    },
    {
      id: 'c',
      at: 30,
      host: '=cmd|x',
      method: 'GET',
      purpose: 'other',
      bytesSent: 0,
      bytesReceived: 0,
      origin: 'panel',
      failure: 'aborted',
    },
  ];
  it('filters by time, host, purpose, conversation and redaction', () => {
    expect(filterLedger(entries, {}).map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(filterLedger(entries, { from: 15, to: 25 }).map((e) => e.id)).toEqual(['b']);
    expect(filterLedger(entries, { host: 'OPENAI' }).map((e) => e.id)).toEqual(['a']);
    expect(filterLedger(entries, { purpose: 'relay' }).map((e) => e.id)).toEqual(['b']);
    expect(filterLedger(entries, { conversationId: 'c1' }).map((e) => e.id)).toEqual(['a']);
    expect(filterLedger(entries, { redactedOnly: true }).map((e) => e.id)).toEqual(['a']);
  });
  it('exports CSV with a header, escaped cells and no formula injection, and JSON', () => {
    const csv = ledgerToCsv(entries).split('\r\n');
    expect(csv[0]).toBe(
      'time,host,method,purpose,status,failure,bytesSent,bytesReceived,conversationId,redactions,origin,kind,durationMs',
    );
    expect(csv[1]).toContain('api.openai.com,POST,chat,,,5,9,c1,card:1,panel,fetch,');
    expect(csv[3]).toContain(`'=cmd|x`);
    expect(JSON.parse(ledgerToJson(entries))).toMatchObject({ format: 'nook-ledger', version: 1 });
  });
});
