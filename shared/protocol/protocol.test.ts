import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  CreateAccountBody,
  ErrorBody,
  Envelope,
  PROTOCOL_VERSION,
  PullReply,
  PullReplyServed,
  PushBody,
  PushReply,
  PushReplyServed,
  PushResult,
  ServedEnvelope,
  WsClientMessage,
  WsServerMessage,
} from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');

describe('shared/protocol', () => {
  it('is version 1', () => {
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('imports nothing but TypeBox and itself (it must run in the browser)', () => {
    const mine = ['common.ts', 'accounts.ts', 'sync.ts', 'ws.ts', 'export.ts', 'index.ts'];
    for (const f of mine) {
      const src = fs.readFileSync(path.join(here, f), 'utf8');
      const specifiers = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const s of specifiers)
        expect(s, `${f} imports ${s}`).toMatch(/^(@sinclair\/typebox|\.\/)/);
    }
  });

  it('accepts a well-formed sign-up and rejects a 31-byte authKey', () => {
    const body = {
      accountId: '0'.repeat(32),
      authKey: b64(32),
      kdf: { alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
      salt: b64(16),
      wrappedAccountKey: b64(60),
    };
    expect(Value.Check(CreateAccountBody, body)).toBe(true);
    expect(Value.Check(CreateAccountBody, { ...body, authKey: b64(31) })).toBe(false);
  });

  it('tags WebSocket messages by type', () => {
    expect(Value.Check(WsClientMessage, { type: 'auth', token: 'nka_x' })).toBe(true);
    expect(Value.Check(WsClientMessage, { type: 'notify', seq: 1 })).toBe(false);
    expect(Value.Check(WsServerMessage, { type: 'notify', seq: 3 })).toBe(true);
    expect(Value.Check(WsServerMessage, { type: 'hello', protocolVersion: 1, seq: 0 })).toBe(true);
    expect(Value.Check(WsServerMessage, { type: 'notify', seq: -1 })).toBe(false);
  });

  it('describes push ops, results and errors', () => {
    const op = {
      opId: 'o1',
      collection: 'messages',
      id: 'r1',
      baseRevision: 0,
      revision: 1,
      deleted: false,
      envelope: b64(10),
    };
    expect(Value.Check(PushBody, { ops: [op] })).toBe(true);
    expect(Value.Check(PushBody, { ops: [{ ...op, envelope: 'not base64' }] })).toBe(false);
    expect(Value.Check(PushResult, { opId: 'o1', status: 'applied', revision: 1, seq: 1 })).toBe(
      true,
    );
    expect(
      Value.Check(PushResult, {
        opId: 'o1',
        status: 'conflict',
        current: { revision: 2, seq: 5, deleted: true },
      }),
    ).toBe(true);
    expect(Value.Check(ErrorBody, { error: { code: 'x', message: 'y' } })).toBe(true);
  });

  it('client reply schemas differ from the relay ones only in the envelope pattern', () => {
    // Everything but the base64 pattern (left to the client's strict fromBase64) stays checked.
    const loose = JSON.stringify(ServedEnvelope);
    const strip = (schema: unknown) =>
      JSON.parse(JSON.stringify(schema).split(JSON.stringify(Envelope)).join(loose)) as unknown;
    expect(JSON.stringify(PullReply)).toContain(JSON.stringify(Envelope));
    expect(strip(PullReply)).toEqual(JSON.parse(JSON.stringify(PullReplyServed)));
    expect(strip(PushReply)).toEqual(JSON.parse(JSON.stringify(PushReplyServed)));
    expect(JSON.stringify(PullReplyServed)).not.toContain('pattern":"^(?:[A-Za-z0-9+/]{4})');
    expect(ServedEnvelope.maxLength).toBe(Envelope.maxLength);
  });

  it('the relay still refuses a non-base64 envelope; the client schema leaves it to the decoder', () => {
    const record = { collection: 'messages', id: 'r1', revision: 1, seq: 1, deleted: false };
    const page = (envelope: unknown) => ({
      records: [{ ...record, envelope }],
      cursor: 1,
      hasMore: false,
      seq: 1,
    });
    expect(Value.Check(PullReply, page(b64(10)))).toBe(true);
    expect(Value.Check(PullReplyServed, page(b64(10)))).toBe(true);
    for (const bad of ['not base64!', 'Zg=', 'Zm9v\n', 'Zg==Zg==']) {
      expect(Value.Check(PullReply, page(bad))).toBe(false);
      expect(Value.Check(PullReplyServed, page(bad))).toBe(true);
    }
    // Type, shape and the other fields are still checked on the client.
    expect(Value.Check(PullReplyServed, page(42))).toBe(false);
    expect(Value.Check(PullReplyServed, { ...page(b64(3)), extra: 1 })).toBe(false);
    expect(
      Value.Check(PullReplyServed, {
        ...page(b64(3)),
        records: [{ ...record, collection: 'Bad Name', envelope: b64(3) }],
      }),
    ).toBe(false);
    const conflict = (envelope: unknown) => ({
      results: [
        {
          opId: 'o1',
          status: 'conflict',
          current: { revision: 2, seq: 5, deleted: false, envelope },
        },
      ],
      seq: 5,
    });
    expect(Value.Check(PushReply, conflict('not base64!'))).toBe(false);
    expect(Value.Check(PushReplyServed, conflict('not base64!'))).toBe(true);
    expect(Value.Check(PushReplyServed, conflict(null))).toBe(false);
  });
});
