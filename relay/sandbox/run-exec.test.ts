import { describe, expect, it } from 'vitest';
import type { SandboxOutputFrame } from '../../shared/protocol/sandbox';
import { executeRun, validateRun } from './run-exec';
import { DEFAULT_SANDBOX_LIMITS } from './runner';
import { createSupervisorConnection } from './supervisor-client';
import { createSupervisorDouble } from './supervisor-double';
import { FrameKind, encodeFrame } from './supervisor-protocol';

const limits = DEFAULT_SANDBOX_LIMITS;

function setup(outputCapBytes = 1000) {
  const sup = createSupervisorDouble();
  const conn = createSupervisorConnection(sup.stream);
  const frames: SandboxOutputFrame[] = [];
  const outcome = executeRun(
    conn,
    { language: 'python', code: 'print(1)', timeoutMs: 20 },
    {
      outputCapBytes,
      quotaBytes: 10_000,
      memoryBytes: 1 << 28,
      graceMs: 10,
      onOutput: (f) => frames.push(f),
    },
  );
  return { sup, conn, frames, outcome };
}

describe('executeRun', () => {
  it('maps the end frame and decodes UTF-8 split across chunks', async () => {
    const { sup, frames, outcome } = setup();
    const id = sup.requests[0]!.id;
    expect(sup.requests[0]).toMatchObject({ op: 'run', timeoutMs: 20, outputCap: 1000 });
    const euro = Buffer.from('€');
    sup.send(
      encodeFrame(FrameKind.stdout, euro.subarray(0, 1)),
      encodeFrame(FrameKind.stdout, euro.subarray(1)),
      sup.json({ id, type: 'end', exitCode: 3, signal: null, durationMs: 5, usedBytes: 42 }),
    );
    const { result, usedBytes, misbehaved } = await outcome;
    expect(frames.map((f) => f.data).join('')).toBe('€');
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, durationMs: 5 });
    expect(usedBytes).toBe(42);
    expect(misbehaved).toBe(false);
  });

  it('attack: a supervisor that never ends the run is cut off by the relay clock', async () => {
    const { outcome } = setup();
    const { result, misbehaved } = await outcome;
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: null });
    expect(misbehaved).toBe(true);
  });

  it('attack: a supervisor that ignores the output cap is cut off by the relay count', async () => {
    const { sup, frames, outcome } = setup(10);
    sup.send(encodeFrame(FrameKind.stdout, Buffer.from('0123456789')));
    sup.send(encodeFrame(FrameKind.stdout, Buffer.from('overflow')));
    const { result, misbehaved } = await outcome;
    expect(result.outputTruncated).toBe(true);
    expect(misbehaved).toBe(true);
    expect(frames.map((f) => f.data).join('')).toBe('0123456789');
  });

  it('a spawn failure is a typed error; a malformed end frame also marks the supervisor bad', async () => {
    const a = setup();
    a.sup.send(a.sup.json({ id: a.sup.requests[0]!.id, type: 'end', error: 'spawn-failed' }));
    const spawn = await a.outcome;
    expect(spawn.error?.code).toBe('unavailable');
    expect(spawn.misbehaved).toBe(false);
    const b = setup();
    b.sup.send(b.sup.json({ id: b.sup.requests[0]!.id, type: 'nonsense' }));
    const bad = await b.outcome;
    expect(bad.error?.code).toBe('unavailable');
    expect(bad.misbehaved).toBe(true);
  });

  it('a lost connection ends the run as killed (not a hang, not a throw)', async () => {
    const { sup, outcome } = setup();
    sup.end();
    const { result, misbehaved } = await outcome;
    expect(result).toMatchObject({ signal: 'SIGKILL', timedOut: false });
    expect(misbehaved).toBe(false);
  });
});

describe('validateRun', () => {
  it('clamps the timeout and applies the default', () => {
    expect(validateRun({ language: 'shell', code: 'true' }, limits).timeoutMs).toBe(
      limits.defaultTimeoutMs,
    );
    expect(validateRun({ language: 'shell', code: 'true', timeoutMs: 1e9 }, limits).timeoutMs).toBe(
      limits.maxTimeoutMs,
    );
  });

  it('rejects unknown languages, oversized code, NUL and bad timeouts', () => {
    const bad = [
      { language: 'ruby', code: '1' },
      { language: 'python', code: 'x'.repeat(limits.maxCodeBytes + 1) },
      { language: 'python', code: 'a\0b' },
      { language: 'python', code: '1', timeoutMs: -5 },
      { language: 'python', code: '1', timeoutMs: Number.NaN },
    ];
    for (const b of bad) {
      expect(() => validateRun(b as Parameters<typeof validateRun>[0], limits)).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/bad-request|too-large/) }),
      );
    }
  });
});
