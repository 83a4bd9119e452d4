// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KDF_FLOOR } from '../../../shared/crypto';
import { createMemoryMetaStore } from '../../adapters/db/meta-store';
import { createMemoryKvArea } from '../../adapters/vault/kv-area';
import { createSessionKeyStore } from '../../adapters/vault/session-key-store';
import { createVaultService } from '../../core/vault/vault-service';
import { VaultGate } from './vault-gate';

afterEach(cleanup);

function setup() {
  const area = createMemoryKvArea();
  const vault = createVaultService({
    meta: createMemoryMetaStore(),
    session: createSessionKeyStore(area),
    kdf: KDF_FLOOR,
  });
  render(
    <VaultGate vault={vault}>
      <p data-testid="app-root">unlocked app</p>
    </VaultGate>,
  );
  return { vault, area };
}

const byId = (id: string) => screen.getByTestId(id);

describe('vault screens', () => {
  it('setup explains a too-short passphrase and shows nothing else', async () => {
    const { vault } = setup();
    await act(() => vault.init());
    fireEvent.change(byId('setup-passphrase'), { target: { value: 'abcd' } });
    fireEvent.change(byId('setup-confirm'), { target: { value: 'abcd' } });
    fireEvent.click(byId('setup-submit'));
    expect((await screen.findByTestId('setup-error')).textContent).toBe(
      'Use at least 8 characters.',
    );
    expect(screen.queryByTestId('kit-secret-key')).toBeNull();
    await waitFor(() => expect(byId('setup-strength').textContent).toBe('Strength: weak'));
  });

  it('keeps Continue disabled until the kit is saved AND the box is ticked', async () => {
    const createObjectURL = vi.fn(() => 'blob:kit');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { vault, area } = setup();
    await act(() => vault.init());
    fireEvent.change(byId('setup-passphrase'), {
      target: { value: 'correct horse battery staple' },
    });
    fireEvent.change(byId('setup-confirm'), { target: { value: 'correct horse battery staple' } });
    fireEvent.click(byId('setup-submit'));
    const secret = await screen.findByTestId('kit-secret-key', {}, { timeout: 10_000 });
    expect(secret.textContent).toMatch(/^NK1-/);
    const cont = byId('kit-continue') as HTMLButtonElement;
    expect(cont.disabled).toBe(true);
    fireEvent.click(byId('kit-confirm'));
    expect(cont.disabled).toBe(true); // ticked but not saved
    fireEvent.click(byId('kit-download'));
    expect(anchorClick).toHaveBeenCalledOnce();
    expect(createObjectURL).toHaveBeenCalledOnce();
    expect(cont.disabled).toBe(false);
    fireEvent.click(byId('kit-confirm'));
    expect(cont.disabled).toBe(true); // saved but unticked
    fireEvent.click(byId('kit-confirm'));
    expect(area.dump()).toEqual({}); // keys stay in this page until Continue
    fireEvent.click(cont);
    await screen.findByTestId('app-root');
    expect(Object.keys(area.dump())).toContain('nook.keys');
    anchorClick.mockRestore();
  });

  it('shows the generic wrong-passphrase error on the unlock screen', async () => {
    const { vault } = setup();
    await act(async () => {
      await vault.init();
      await vault.create('correct horse battery staple', 'correct horse battery staple');
      await vault.confirmKit();
      await vault.lock();
    });
    expect(byId('unlock-screen')).toBeTruthy();
    expect(screen.queryByTestId('app-root')).toBeNull();
    fireEvent.change(byId('unlock-passphrase'), { target: { value: 'not it at all' } });
    fireEvent.click(byId('unlock-submit'));
    expect((await screen.findByTestId('unlock-error', {}, { timeout: 10_000 })).textContent).toBe(
      'Wrong passphrase.',
    );
    fireEvent.change(byId('unlock-passphrase'), {
      target: { value: 'correct horse battery staple' },
    });
    fireEvent.click(byId('unlock-submit'));
    await screen.findByTestId('app-root', {}, { timeout: 10_000 });
  });
});
