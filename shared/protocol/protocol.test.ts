import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  CreateAccountBody,
  ErrorBody,
  PROTOCOL_VERSION,
  PushBody,
  PushResult,
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
});
