import { useState } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { COMPATIBLE_PRESETS, customOrigin, needsOriginRule } from '../../core/chat/host-access';
import { ProviderKind, type ProviderConfig } from '../../core/chat/provider';
import {
  ProviderError,
  validateProviderConfig,
  type ProviderConfigIssue,
} from '../../core/chat/provider-error';
import type { StoredProvider } from '../../core/chat/provider-registry';

const KIND_LABEL: Record<ProviderKind, string> = {
  [ProviderKind.OpenAI]: 'OpenAI',
  [ProviderKind.Anthropic]: 'Anthropic',
  [ProviderKind.Gemini]: 'Google Gemini',
  [ProviderKind.Compatible]: 'OpenAI-compatible (Ollama, LM Studio, …)',
};

/** Props of {@link ProviderForm}. */
export interface ProviderFormProps {
  services: PageServices;
  /** The provider being edited; undefined adds a new one. */
  editing?: StoredProvider;
  onDone: (saved?: StoredProvider) => void;
}

/**
 * Add or edit one provider. Everything is checked before any request; a custom host's
 * permission is asked for synchronously in the Save / Test click (the user gesture).
 * The key field is a password field and is never echoed anywhere else.
 */
export function ProviderForm({ services, editing, onDone }: ProviderFormProps) {
  const [kind, setKind] = useState<ProviderKind>(editing?.kind ?? ProviderKind.OpenAI);
  const [label, setLabel] = useState(editing?.label ?? KIND_LABEL[ProviderKind.OpenAI]);
  const [apiKey, setApiKey] = useState(editing?.apiKey ?? '');
  const [baseUrl, setBaseUrl] = useState(editing?.baseUrl ?? '');
  const [model, setModel] = useState(editing?.defaultModel ?? '');
  const [models, setModels] = useState<string[]>([]);
  const [issues, setIssues] = useState<ProviderConfigIssue[]>([]);
  const [testResult, setTestResult] = useState<string>();
  const [saveResult, setSaveResult] = useState<string>();
  const [busy, setBusy] = useState(false);

  const config = (): ProviderConfig => ({
    id: editing?.id ?? '',
    kind,
    label: label.trim() || KIND_LABEL[kind],
    apiKey: apiKey.trim() || undefined,
    baseUrl: baseUrl.trim() || undefined,
    defaultModel: model.trim() || undefined,
  });
  const issue = (field: ProviderConfigIssue['field']) => {
    const found = issues.find((i) => i.field === field);
    return (
      found && (
        <span data-testid={`provider-issue-${field}`} className="field-issue" role="alert">
          {found.message}
        </span>
      )
    );
  };

  /**
   * Checks the form and, for a custom host, starts the permission request right away:
   * it must run inside the click, before any await. Returns undefined on an issue.
   */
  const prepare = () => {
    const cfg = config();
    const found = validateProviderConfig(cfg);
    setIssues(found);
    if (found.length > 0) return undefined;
    const origin = customOrigin(cfg);
    const granted = origin ? services.hostAccess.request(origin) : Promise.resolve(true);
    const access = granted.then(
      async (ok) => {
        if (ok && origin && needsOriginRule(cfg))
          await services.hostAccess.allowWithoutOrigin(origin);
        return ok;
      },
      () => false,
    );
    return { cfg, origin, access };
  };

  const onTest = () => {
    const ready = prepare();
    if (!ready) return;
    setTestResult('Testing…');
    setBusy(true);
    void (async () => {
      await ready.access;
      try {
        const ids = await services.providers.adapterForDraft(ready.cfg).listModels();
        setModels(ids);
        setTestResult(
          ids.length > 0
            ? `Connected. ${ids.length} models available; pick one below or type its id.`
            : 'Connected. This server lists no models; type the model id below.',
        );
      } catch (e) {
        setTestResult(
          e instanceof ProviderError ? e.userMessage() : 'The test failed for an unknown reason.',
        );
      } finally {
        setBusy(false);
      }
    })();
  };

  const onSave = () => {
    const ready = prepare();
    if (!ready) return;
    setBusy(true);
    void (async () => {
      try {
        const result = await services.providers.save(ready.cfg);
        if (!result.ok) return setIssues(result.issues);
        setSaveResult(ready.origin ? `Saved. Waiting for access to ${ready.origin}…` : 'Saved.');
        const granted = await ready.access;
        if (!granted) {
          setSaveResult(
            `Saved, but Nook may not reach ${ready.origin ?? 'the server'} until you allow it: press Save again and choose Allow.`,
          );
          return;
        }
        onDone(result.provider);
      } catch {
        setSaveResult('The provider could not be saved. Try again.');
      } finally {
        setBusy(false);
      }
    })();
  };

  const pickKind = (next: ProviderKind) => {
    if (label === KIND_LABEL[kind] || label === '') setLabel(KIND_LABEL[next]);
    setKind(next);
    setIssues([]);
  };
  const pickPreset = (name: string) => {
    const preset = COMPATIBLE_PRESETS.find((p) => p.name === name);
    if (!preset) return;
    setBaseUrl(preset.baseUrl);
    setLabel(preset.name);
  };

  return (
    <form className="stack card" data-testid="provider-form" onSubmit={(e) => e.preventDefault()}>
      <label>
        Kind
        <select
          data-testid="provider-kind"
          value={kind}
          onChange={(e) => pickKind(e.target.value as ProviderKind)}
        >
          {Object.values(ProviderKind).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
        {issue('kind')}
      </label>
      {kind === ProviderKind.Compatible && (
        <label>
          Preset
          <select
            data-testid="provider-preset"
            defaultValue=""
            onChange={(e) => pickPreset(e.target.value)}
          >
            <option value="">Choose a server…</option>
            {COMPATIBLE_PRESETS.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} ({p.baseUrl})
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Name
        <input
          data-testid="provider-label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
        {issue('label')}
      </label>
      <label>
        API key{kind === ProviderKind.Compatible ? ' (optional for local servers)' : ''}
        <input
          data-testid="provider-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
        />
        {issue('apiKey')}
      </label>
      <label>
        {kind === ProviderKind.Compatible ? 'Server address' : 'API address (optional override)'}
        <input
          data-testid="provider-base-url"
          type="url"
          placeholder={
            kind === ProviderKind.Compatible ? 'http://127.0.0.1:11434/v1' : 'Official API'
          }
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
        />
        {issue('baseUrl')}
      </label>
      <label>
        Default model
        <input
          data-testid="provider-model"
          list="provider-models"
          placeholder="Press Test connection to list models, or type an id"
          value={model}
          onChange={(e) => setModel(e.target.value)}
        />
        <datalist id="provider-models">
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </label>
      {models.length > 0 && (
        <select
          data-testid="provider-model-list"
          aria-label="Models this key can use"
          value={models.includes(model) ? model : ''}
          onChange={(e) => setModel(e.target.value)}
        >
          <option value="">Pick a listed model…</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      )}
      <div className="row">
        <button data-testid="provider-test" type="button" disabled={busy} onClick={onTest}>
          Test connection
        </button>
        <button
          data-testid="provider-save"
          type="button"
          className="primary"
          disabled={busy}
          onClick={onSave}
        >
          Save
        </button>
        <button type="button" className="link" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
      {testResult && (
        <p data-testid="provider-test-result" role="status">
          {testResult}
        </p>
      )}
      {saveResult && (
        <p data-testid="provider-save-result" role="status">
          {saveResult}
        </p>
      )}
    </form>
  );
}
