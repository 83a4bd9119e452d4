import { describe, expect, it } from 'vitest';
import { sandboxOffError, toRelayError } from '../../relay/routes/sandbox-errors';
import { SandboxError, SandboxErrorCode } from '../../relay/sandbox/errors';
import { ERROR_CODES } from './common';
import { WS_RUN_ERROR_CODES } from './ws';

describe('run-error codes', () => {
  it('lists exactly what the relay sends for a failed run', () => {
    const sent = new Set<string>([ERROR_CODES.internal, sandboxOffError('off').code]);
    for (const code of Object.values(SandboxErrorCode)) {
      const mapped = toRelayError(new SandboxError(code, 'x')) as { code: string };
      sent.add(mapped.code);
    }
    // A full workspace is `quota-exceeded`, never `conflict`.
    expect(toRelayError(new SandboxError('quota-exceeded', 'x'))).toMatchObject({
      code: 'quota-exceeded',
    });
    expect([...sent].sort()).toEqual([...WS_RUN_ERROR_CODES].sort());
  });
});
