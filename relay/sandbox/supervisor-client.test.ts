import { describe, expect, it } from 'vitest';
import { SandboxError } from './errors';
import { createSupervisorConnection } from './supervisor-client';
import { createSupervisorDouble as fakeStream } from './supervisor-double';
import { FrameKind, createFrameDecoder, encodeFrame } from './supervisor-protocol';

describe('createSupervisorConnection', () => {
  it('matches replies to requests by id, whatever the arrival order', async () => {
    const f = fakeStream();
    const conn = createSupervisorConnection(f.stream);
    const a = conn.request({ op: 'hello' }, 1000);
    const b = conn.request({ op: 'usage' }, 1000);
    expect(f.requests.map((r) => r.op)).toEqual(['hello', 'usage']);
    const [ida, idb] = f.requests.map((r) => r.id);
    f.send(f.json({ id: idb, ok: true, usedBytes: 7 }), f.json({ id: ida, ok: true, version: 1 }));
    await expect(a).resolves.toMatchObject({ version: 1 });
    await expect(b).resolves.toMatchObject({ usedBytes: 7 });
  });

  it("routes a run's stdout/stderr chunks to it and ignores the supervisor's own stderr", async () => {
    const f = fakeStream();
    const conn = createSupervisorConnection(f.stream);
    const chunks: string[] = [];
    const run = conn.run({ language: 'python', code: 'x' }, (s, d) => chunks.push(`${s}:${d}`));
    const id = f.requests[0]!.id;
    expect(f.requests[0]!.op).toBe('run');
    f.sendStderr('Traceback (supervisor)');
    f.send(
      encodeFrame(FrameKind.stdout, Buffer.from('out')),
      encodeFrame(FrameKind.stderr, Buffer.from('err')),
      f.json({ id, type: 'end', exitCode: 0 }),
    );
    await expect(run).resolves.toMatchObject({ type: 'end', exitCode: 0 });
    expect(chunks).toEqual(['stdout:out', 'stderr:err']);
  });

  it('refuses a second concurrent run on one connection', async () => {
    const f = fakeStream();
    const conn = createSupervisorConnection(f.stream);
    void conn.run({}, () => undefined).catch(() => undefined);
    await expect(conn.run({}, () => undefined)).rejects.toMatchObject({ code: 'busy' });
    conn.close();
  });

  it('fails every pending request with a typed error when the stream ends', async () => {
    const f = fakeStream();
    const conn = createSupervisorConnection(f.stream);
    const p = conn.request({ op: 'list' }, 1000);
    const r = conn.run({}, () => undefined);
    let notified = false;
    conn.onClose(() => (notified = true));
    f.end();
    await expect(p).rejects.toBeInstanceOf(SandboxError);
    await expect(r).rejects.toMatchObject({ code: 'unavailable' });
    expect(conn.closed).toBe(true);
    expect(notified).toBe(true);
    await expect(conn.request({ op: 'hello' }, 10)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('attack: a corrupt frame from a hostile supervisor closes the connection', async () => {
    const f = fakeStream();
    const conn = createSupervisorConnection(f.stream);
    const p = conn.request({ op: 'hello' }, 1000);
    const bogus = Buffer.alloc(5);
    bogus.writeUInt8(9, 0);
    f.send(bogus);
    await expect(p).rejects.toMatchObject({ code: 'unavailable' });
    expect(conn.closed).toBe(true);
  });

  it('times out a control request that gets no answer', async () => {
    const f = fakeStream();
    const conn = createSupervisorConnection(f.stream);
    await expect(conn.request({ op: 'hello' }, 5)).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('createFrameDecoder', () => {
  it('reassembles frames split across chunks and rejects oversized ones', () => {
    const d = createFrameDecoder();
    const frame = encodeFrame(FrameKind.stdout, Buffer.from('hello'));
    expect(d.push(frame.subarray(0, 4))).toEqual([]);
    const out = d.push(frame.subarray(4));
    expect(out.map((f) => f.payload.toString())).toEqual(['hello']);
    const huge = Buffer.alloc(5);
    huge.writeUInt8(1, 0);
    huge.writeUInt32BE(0xffffffff, 1);
    expect(() => d.push(huge)).toThrow(SandboxError);
  });
});
