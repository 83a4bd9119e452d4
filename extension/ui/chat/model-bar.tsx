import { useEffect, useState } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import type { ChatState } from '../../core/conversations/chat-controller';
import { useStore } from '../hooks/use-store';

/**
 * Per-conversation provider, model, persona, system prompt and the "Use memory" switch.
 * Changes apply to the open conversation (or to the next new one). Empty choices fall back
 * to Options' defaults.
 */
export function ModelBar({ services, state }: { services: PageServices; state: ChatState }) {
  const { chat } = services;
  const providers = useStore(services.providers);
  const personas = useStore(services.personas);
  const opts = chat.options();
  const [model, setModel] = useState(opts.model ?? '');
  const [prompt, setPrompt] = useState(opts.systemPrompt ?? '');
  const [models, setModels] = useState<string[]>([]);
  const key = `${state.selectedId ?? 'draft'}|${opts.providerId ?? ''}|${opts.model ?? ''}|${opts.systemPrompt ?? ''}`;
  const [forKey, setForKey] = useState(key);
  if (forKey !== key) {
    setForKey(key);
    setModel(opts.model ?? '');
    setPrompt(opts.systemPrompt ?? '');
  }

  const usable = providers.providers.flatMap((p) => (p.ok ? [p.value] : []));
  const providerId = opts.providerId ?? '';

  useEffect(() => {
    setModels([]);
    if (!providerId) return;
    let live = true;
    // Model lists are a convenience; a provider without one still accepts a typed id.
    void Promise.resolve()
      .then(() => services.providers.adapterFor(providerId).listModels())
      .then((ids) => live && setModels(ids))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [providerId, services.providers]);

  const commitModel = () => {
    if (model.trim() !== (opts.model ?? ''))
      void chat.setOptions({ model: model.trim() || undefined });
  };
  const commitPrompt = () => {
    if (prompt !== (opts.systemPrompt ?? ''))
      void chat.setOptions({ systemPrompt: prompt.trim() || undefined });
  };
  const pickPersona = (id: string) => {
    const persona = services.personas.find(id);
    if (!persona) return void chat.setOptions({ personaId: undefined });
    void chat.setOptions({
      personaId: persona.id,
      systemPrompt: persona.systemPrompt,
      ...(persona.providerId ? { providerId: persona.providerId } : {}),
      ...(persona.model ? { model: persona.model } : {}),
    });
  };

  return (
    <details
      className="model-bar"
      data-testid="model-bar"
      // Providers and personas may have changed in Options since this panel loaded them.
      onToggle={(e) => {
        if (!e.currentTarget.open) return;
        void services.providers.load().catch(() => undefined);
        void services.personas.load().catch(() => undefined);
      }}
    >
      <summary>
        {usable.find((p) => p.id === providerId)?.label ?? 'Default provider'}
        {opts.model ? ` · ${opts.model}` : ''}
        {opts.personaId ? ` · ${services.personas.find(opts.personaId)?.name ?? ''}` : ''}
        {opts.memoryOff ? ' · memory off' : ''}
      </summary>
      <div className="stack">
        <label>
          Provider
          <select
            data-testid="provider-select"
            value={providerId}
            onChange={(e) =>
              void chat.setOptions({ providerId: e.target.value || undefined, model: undefined })
            }
          >
            <option value="">Default (Options → Providers)</option>
            {usable.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input
            data-testid="model-select"
            list="model-options"
            placeholder="The provider's default model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            onBlur={commitModel}
            onKeyDown={(e) => e.key === 'Enter' && commitModel()}
          />
          <datalist id="model-options">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <label>
          Persona
          <select
            data-testid="persona-select"
            value={opts.personaId ?? ''}
            onChange={(e) => pickPersona(e.target.value)}
          >
            <option value="">None</option>
            {personas.personas.flatMap((p) =>
              p.ok
                ? [
                    <option key={p.id} value={p.id}>
                      {p.value.name}
                    </option>,
                  ]
                : [],
            )}
          </select>
        </label>
        <label>
          System prompt
          <textarea
            data-testid="system-prompt"
            rows={3}
            placeholder="Optional instructions for this conversation"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            onBlur={commitPrompt}
          />
        </label>
        <label className="check">
          <input
            data-testid="memory-toggle"
            type="checkbox"
            checked={!opts.memoryOff}
            // Off: this conversation neither sees nor saves memories (Options → Memory).
            onChange={(e) =>
              void chat.setOptions({ memoryOff: e.target.checked ? undefined : true })
            }
          />{' '}
          Use memory
          <span className="muted small">
            {' '}
            — remembered facts from Options → Memory are sent with this conversation, and the
            assistant may save new ones
          </span>
        </label>
      </div>
    </details>
  );
}
