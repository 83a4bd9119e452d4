import { describe, expect, it } from 'vitest';
import { sandboxConfigFromEnv } from './config-from-env';

describe('sandboxConfigFromEnv', () => {
  it('is off without an image and maps every variable when set', () => {
    expect(sandboxConfigFromEnv({})).toBeUndefined();
    expect(
      sandboxConfigFromEnv({
        NOOK_SANDBOX_IMAGE: 'nook-sandbox:abc',
        NOOK_SANDBOX_ACCOUNT_KEY: 'k',
        NOOK_SANDBOX_RUNTIME: 'runsc',
        NOOK_SANDBOX_IDLE_MS: '5000',
        DOCKER_HOST: 'unix:///run/d.sock',
      }),
    ).toEqual({
      image: 'nook-sandbox:abc',
      accountKey: 'k',
      runtime: 'runsc',
      idleMs: 5000,
      docker: { socketPath: '/run/d.sock' },
    });
    expect(sandboxConfigFromEnv({ NOOK_SANDBOX_IMAGE: 'i', NOOK_SANDBOX_IDLE_MS: 'x' })).toEqual({
      image: 'i',
    });
  });
});
