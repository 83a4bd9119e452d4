// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import type { PageServices } from '../../adapters/create-page-services';
import { createMemoryRepos } from '../../adapters/db/repos';
import { createLedgerStore } from '../../core/ledger/ledger-store';
import type { LedgerEntry } from '../../core/ledger/types';
import { LedgerSection } from './ledger-section';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});
afterEach(cleanup);

const base = { method: 'GET', bytesSent: 0, bytesReceived: 0, origin: 'panel' } as const;
const ENTRIES: LedgerEntry[] = [
  { ...base, id: 'f', at: 1_000, host: 'api.openai.com', purpose: 'chat', status: 200 },
  {
    ...base,
    id: 'run',
    at: 2_000,
    host: 'relay.example',
    purpose: 'sandbox',
    kind: 'websocket',
    status: 101,
    bytesSent: 120,
    bytesReceived: 340,
    durationMs: 4_000,
    conversationId: 'c1',
  },
  {
    ...base,
    id: 'sync',
    at: 3_000,
    host: 'relay.example',
    purpose: 'relay',
    kind: 'websocket',
    status: 101,
    bytesSent: 15,
    durationMs: 600_000,
    ongoing: true,
  },
];

async function setup() {
  const { repos } = createMemoryRepos(() => vault);
  const ledger = createLedgerStore({ repo: repos.ledger });
  for (const e of ENTRIES) await ledger.record(e);
  const services = { ledger, repos } as unknown as PageServices;
  render(<LedgerSection services={services} />);
  await waitFor(() => expect(screen.getAllByTestId('ledger-row')).toHaveLength(3));
  return { ledger };
}

const row = (kind: string, purpose: string) =>
  screen
    .getAllByTestId('ledger-row')
    .find((r) => r.dataset.kind === kind && r.dataset.purpose === purpose) as HTMLElement;

describe('Options → Ledger', () => {
  it('lists WebSocket entries beside requests, marked, with where the connection stands', async () => {
    await setup();
    const run = row('websocket', 'sandbox');
    expect(within(run).getByText(/Sandbox/)).toBeTruthy();
    expect(within(run).getByText(/WebSocket/)).toBeTruthy();
    expect(within(run).getByText('closed')).toBeTruthy();
    expect(within(run).getByText('340')).toBeTruthy();
    const sync = row('websocket', 'relay');
    expect(within(sync).getByText('open')).toBeTruthy();
    expect(
      within(sync)
        .getByText(/WebSocket/)
        .getAttribute('title'),
    ).toContain('still open');
    const chat = row('fetch', 'chat');
    expect(within(chat).queryByText(/WebSocket/)).toBeNull();
    expect(within(chat).getByText('200')).toBeTruthy();
    expect(screen.getByTestId('ledger-count').textContent).toContain('135 bytes sent');
  });

  it('filters WebSocket entries by purpose like any other', async () => {
    await setup();
    fireEvent.change(screen.getByTestId('ledger-purpose'), { target: { value: 'sandbox' } });
    await waitFor(() => expect(screen.getAllByTestId('ledger-row')).toHaveLength(1));
    expect(row('websocket', 'sandbox')).toBeTruthy();
  });
});
