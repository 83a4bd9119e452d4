import { useEffect, useState } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { orphanedOriginRule } from '../../core/chat/host-access';
import { maskKey, type StoredProvider } from '../../core/chat/provider-registry';
import type { AppSettings } from '../../core/models';
import { loadSettings, saveSettings } from '../../core/settings/settings';
import { RECORD_ERROR_MESSAGE } from '../../core/records/record-repo-port';
import { useStore } from '../hooks/use-store';
import { ProviderForm } from './provider-form';
import { OptionsSection } from './options-section';

/** Options → Providers: the saved providers (keys masked), add/edit/remove, the default. */
export function ProvidersSection({ services }: { services: PageServices }) {
  const { providers, repos } = services;
  const state = useStore(providers);
  const [editing, setEditing] = useState<StoredProvider | 'new'>();
  const [settings, setSettings] = useState<AppSettings>();
  const [status, setStatus] = useState<string>();

  useEffect(() => {
    let live = true;
    void loadSettings(repos.settings).then(
      (r) => live && setSettings(r.settings),
      () => live && setStatus('Your settings could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [repos.settings]);

  const makeDefault = async (p: StoredProvider) => {
    try {
      const { settings: current } = await loadSettings(repos.settings);
      const next = { ...current, defaultProviderId: p.id, defaultModel: p.defaultModel };
      await saveSettings(repos.settings, next);
      setSettings(next);
      setStatus(`${p.label} is now the default for new conversations.`);
    } catch {
      setStatus('The default could not be saved. Try again.');
    }
  };

  // A compatible server's Origin rule goes with the last provider that used its origin
  // (removed, or edited to another address). Failing to drop it is harmless: the rule
  // only strips a header on that one origin.
  const dropOrphanedRule = async (gone: StoredProvider) => {
    const origin = orphanedOriginRule(gone, providers.usable());
    if (origin) await services.hostAccess.removeOriginRule?.(origin).catch(() => undefined);
  };

  const onDone = (saved?: StoredProvider) => {
    const before = editing;
    setEditing(undefined);
    if (!saved) return;
    setStatus(`Saved ${saved.label}.`);
    if (before && before !== 'new') void dropOrphanedRule(before);
    // The first provider becomes the default, so chat works without another step.
    if (!settings?.defaultProviderId || settings.defaultProviderId === saved.id)
      void makeDefault(saved);
  };

  const remove = async (p: StoredProvider) => {
    try {
      await providers.remove(p.id);
      await dropOrphanedRule(p);
      setStatus(`Removed ${p.label}; its key is erased from this device.`);
    } catch {
      setStatus('The provider could not be removed. Try again.');
    }
  };

  return (
    <OptionsSection id="providers" title="Providers" testId="providers-section">
      <p className="muted small">
        Keys are stored encrypted under your passphrase and sent only to the provider they belong
        to.
      </p>
      <ul className="list" data-testid="provider-list">
        {state.providers.map((entry) =>
          entry.ok ? (
            <li key={entry.id} data-testid="provider-item" className="row provider-item">
              <strong className="grow">
                {entry.value.label}
                {settings?.defaultProviderId === entry.id && (
                  <span data-testid="provider-is-default" className="badge">
                    default
                  </span>
                )}
              </strong>
              <span className="muted small" data-testid="provider-key-masked">
                {maskKey(entry.value.apiKey)}
              </span>
              {entry.value.defaultModel && (
                <span className="muted small">{entry.value.defaultModel}</span>
              )}
              {settings?.defaultProviderId !== entry.id && (
                <button
                  data-testid="provider-default"
                  type="button"
                  className="link"
                  onClick={() => void makeDefault(entry.value)}
                >
                  Make default
                </button>
              )}
              <button
                data-testid="provider-edit"
                type="button"
                className="link"
                onClick={() => setEditing(entry.value)}
              >
                Edit
              </button>
              <button
                data-testid="provider-remove"
                type="button"
                className="link danger"
                onClick={() => void remove(entry.value)}
              >
                Remove
              </button>
            </li>
          ) : (
            <li key={entry.id} data-testid="record-error" className="record-error" role="note">
              {RECORD_ERROR_MESSAGE[entry.error.code]}
            </li>
          ),
        )}
        {state.loaded && state.providers.length === 0 && (
          <li className="muted">No AI provider is set up yet.</li>
        )}
      </ul>
      {editing === undefined ? (
        <div>
          <button data-testid="provider-add" type="button" onClick={() => setEditing('new')}>
            Add a provider
          </button>
        </div>
      ) : (
        <ProviderForm
          key={editing === 'new' ? 'new' : editing.id}
          services={services}
          editing={editing === 'new' ? undefined : editing}
          onDone={onDone}
        />
      )}
      {status && (
        <p data-testid="providers-status" role="status">
          {status}
        </p>
      )}
    </OptionsSection>
  );
}
