// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVault, KDF_FLOOR, type UnlockedVault } from '../../../shared/crypto';
import type { PageServices } from '../../adapters/create-page-services';
import { createMemoryRepos } from '../../adapters/db/repos';
import type { HostAccess } from '../../core/chat/host-access';
import type { ProviderAdapter } from '../../core/chat/provider';
import { ProviderError } from '../../core/chat/provider-error';
import { createProviderRegistry } from '../../core/chat/provider-registry';
import { ProviderForm } from './provider-form';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = (await createVault({ passphrase: 'correct horse battery staple', kdf: KDF_FLOOR })).vault;
});
afterEach(cleanup);

function setup(listModels: () => Promise<string[]> = () => Promise.resolve(['m1', 'm2'])) {
  const { repos } = createMemoryRepos(() => vault);
  const providers = createProviderRegistry({
    repo: repos.providers,
    createAdapter: (cfg) =>
      ({ kind: cfg.kind, listModels, testConnection: () => Promise.resolve() }) as Pick<
        ProviderAdapter,
        'kind' | 'listModels' | 'testConnection'
      > as ProviderAdapter,
  });
  let grant: (ok: boolean) => void = () => undefined;
  const hostAccess: HostAccess = {
    request: vi.fn(() => new Promise<boolean>((resolve) => (grant = resolve))),
    allowWithoutOrigin: vi.fn(() => Promise.resolve()),
  };
  // The form uses only these two services.
  const services = { providers, hostAccess } as unknown as PageServices;
  const onDone = vi.fn();
  render(<ProviderForm services={services} onDone={onDone} />);
  return { providers, hostAccess, onDone, grant: (ok: boolean) => grant(ok), repos };
}

const byId = (id: string) => screen.getByTestId(id);
const type = (id: string, value: string) => fireEvent.change(byId(id), { target: { value } });

describe('provider form', () => {
  it('shows issues beside the fields and sends nothing for a bad config', async () => {
    const { hostAccess, repos } = setup();
    fireEvent.click(byId('provider-save'));
    expect(byId('provider-issue-apiKey').textContent).toMatch(/paste your api key/i);
    type('provider-kind', 'openai-compatible');
    type('provider-base-url', 'http://192.0.2.7:11434/v1');
    fireEvent.click(byId('provider-test'));
    expect(byId('provider-issue-baseUrl').textContent).toMatch(/plain http/i);
    expect(hostAccess.request).not.toHaveBeenCalled();
    expect(await repos.providers.list()).toEqual([]);
  });

  it('asks for the custom host synchronously in the Save click, then adds the Origin rule', async () => {
    const { hostAccess, onDone, grant } = setup();
    type('provider-kind', 'openai-compatible');
    type('provider-preset', 'Ollama');
    type('provider-model', 'llama3');
    fireEvent.click(byId('provider-save'));
    // Still inside the click: the user gesture is only valid before any await.
    expect(hostAccess.request).toHaveBeenCalledWith('http://127.0.0.1:11434');
    await act(async () => grant(true));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(hostAccess.allowWithoutOrigin).toHaveBeenCalledWith('http://127.0.0.1:11434');
    expect(onDone.mock.calls[0]?.[0]).toMatchObject({ label: 'Ollama', defaultModel: 'llama3' });
  });

  it('says so when the permission is refused, and keeps the form open', async () => {
    const { onDone, grant } = setup();
    type('provider-kind', 'openai-compatible');
    type('provider-base-url', 'https://llm.example.org/v1');
    fireEvent.click(byId('provider-save'));
    await act(async () => grant(false));
    await waitFor(() =>
      expect(byId('provider-save-result').textContent).toMatch(/until you allow it/),
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it('Test connection lists models, or shows the plain-words failure', async () => {
    let fail = false;
    setup(() =>
      fail
        ? Promise.reject(new ProviderError('auth', { provider: 'OpenAI', status: 401 }))
        : Promise.resolve(['gpt-a', 'gpt-b']),
    );
    type('provider-key', 'sk-test-key-000000');
    fireEvent.click(byId('provider-test'));
    await waitFor(() => expect(byId('provider-test-result').textContent).toMatch(/2 models/));
    expect(screen.getAllByRole('option', { name: 'gpt-b' }).length).toBeGreaterThan(0);
    fail = true;
    fireEvent.click(byId('provider-test'));
    await waitFor(() =>
      expect(byId('provider-test-result').textContent).toBe(
        'OpenAI rejected the key (401): check it in Options → Providers.',
      ),
    );
  });
});
