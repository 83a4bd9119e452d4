// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KDF_FLOOR } from '../../../shared/crypto';
import { createMemoryMetaStore } from '../../adapters/db/meta-store';
import { createMemoryKvArea } from '../../adapters/vault/kv-area';
import { createSessionKeyStore } from '../../adapters/vault/session-key-store';
import { createVaultService } from '../../core/vault/vault-service';
import { SetupScreen } from './setup-screen';

afterEach(cleanup);

function vault() {
  return createVaultService({
    meta: createMemoryMetaStore(),
    session: createSessionKeyStore(createMemoryKvArea()),
    kdf: KDF_FLOOR,
  });
}

describe('first-run setup screen', () => {
  it('points someone who already uses Nook to "Link this browser"', async () => {
    const v = vault();
    await act(() => v.init());
    const onLinkBrowser = vi.fn();
    render(<SetupScreen vault={v} onLinkBrowser={onLinkBrowser} />);
    expect(screen.getByTestId('setup-link-hint').textContent).toContain(
      'Already use Nook in another browser?',
    );
    fireEvent.click(screen.getByTestId('setup-link-browser'));
    expect(onLinkBrowser).toHaveBeenCalledTimes(1);
    // Nothing was created: the vault is still waiting for a passphrase or a link.
    expect(v.getState().status).toBe('uninitialized');
  });

  it('shows no link where none can be opened (the options page has the form itself)', async () => {
    const v = vault();
    await act(() => v.init());
    render(<SetupScreen vault={v} />);
    expect(screen.queryByTestId('setup-link-browser')).toBeNull();
    expect(screen.getByTestId('setup-submit')).toBeTruthy();
  });
});
