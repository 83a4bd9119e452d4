import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_WIRE_LIMITS,
  SandboxEndFrame,
  SandboxRunFrame,
  SandboxRunRequest,
  SandboxStatus,
} from './sandbox';

describe('sandbox protocol schemas', () => {
  it('accepts a valid run request and rejects unknown languages, extra fields and huge code', () => {
    expect(Value.Check(SandboxRunRequest, { language: 'python', code: 'print(1)' })).toBe(true);
    expect(Value.Check(SandboxRunRequest, { language: 'ruby', code: '1' })).toBe(false);
    expect(Value.Check(SandboxRunRequest, { language: 'shell', code: '', env: {} })).toBe(false);
    const huge = 'x'.repeat(SANDBOX_WIRE_LIMITS.maxCodeBytes + 1);
    expect(Value.Check(SandboxRunRequest, { language: 'shell', code: huge })).toBe(false);
    expect(Value.Check(SandboxRunRequest, { language: 'shell', code: '', timeoutMs: 50 })).toBe(
      false,
    );
  });

  it('describes every frame of a run', () => {
    const end = {
      type: 'end',
      exitCode: null,
      signal: 'SIGKILL',
      timedOut: true,
      oomKilled: false,
      outputTruncated: false,
      quotaExceeded: false,
      durationMs: 1003,
    };
    expect(Value.Check(SandboxEndFrame, end)).toBe(true);
    expect(Value.Check(SandboxRunFrame, end)).toBe(true);
    expect(Value.Check(SandboxRunFrame, { type: 'output', stream: 'stdout', data: 'hi' })).toBe(
      true,
    );
    expect(Value.Check(SandboxRunFrame, { type: 'output', stream: 'stdin', data: 'x' })).toBe(
      false,
    );
    expect(Value.Check(SandboxRunFrame, { type: 'error', code: 'busy', message: 'm' })).toBe(true);
    expect(Value.Check(SandboxStatus, { state: 'absent', usedBytes: null, quotaBytes: 1 })).toBe(
      true,
    );
  });
});
