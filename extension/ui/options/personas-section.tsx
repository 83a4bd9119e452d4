import { useState, type FormEvent } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { PersonaError } from '../../core/chat/persona-store';
import { TextField } from '../form-fields';
import { useStore } from '../hooks/use-store';
import { OptionsSection } from './options-section';

/** Options → Personas: saved name + system prompt (+ optional model), used per conversation. */
export function PersonasSection({ services }: { services: PageServices }) {
  const state = useStore(services.personas);
  const providers = useStore(services.providers);
  const [name, setName] = useState('');
  const [prompt, setPrompt] = useState('');
  const [providerId, setProviderId] = useState('');
  const [model, setModel] = useState('');
  const [status, setStatus] = useState<string>();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const p = await services.personas.save({
        name,
        systemPrompt: prompt,
        providerId: providerId || undefined,
        model: model.trim() || undefined,
      });
      setName('');
      setPrompt('');
      setModel('');
      setStatus(`Saved persona ${p.name}.`);
    } catch (err) {
      setStatus(err instanceof PersonaError ? err.message : 'The persona could not be saved.');
    }
  };

  return (
    <OptionsSection id="personas" title="Personas" testId="personas-section">
      <ul className="list">
        {state.personas.map((p) =>
          p.ok ? (
            <li key={p.id} data-testid="persona-item" className="row provider-item">
              <strong className="grow">{p.value.name}</strong>
              {p.value.model && <span className="muted small">{p.value.model}</span>}
              <button
                data-testid="persona-remove"
                type="button"
                className="link danger"
                onClick={() => void services.personas.remove(p.id)}
              >
                Remove
              </button>
            </li>
          ) : null,
        )}
      </ul>
      <form className="stack" onSubmit={(e) => void save(e)}>
        <TextField label="Name" testId="persona-name" value={name} onChange={setName} />
        <label>
          System prompt
          <textarea
            data-testid="persona-prompt"
            rows={3}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
          />
        </label>
        <label>
          Provider (optional)
          <select
            data-testid="persona-provider"
            value={providerId}
            onChange={(e) => setProviderId(e.target.value)}
          >
            <option value="">Default</option>
            {providers.providers.flatMap((p) =>
              p.ok
                ? [
                    <option key={p.id} value={p.id}>
                      {p.value.label}
                    </option>,
                  ]
                : [],
            )}
          </select>
        </label>
        <TextField
          label="Model (optional)"
          testId="persona-model"
          value={model}
          onChange={setModel}
        />
        <div className="row">
          <button data-testid="persona-save" type="submit">
            Save persona
          </button>
          {status && (
            <span data-testid="persona-status" role="status">
              {status}
            </span>
          )}
        </div>
      </form>
    </OptionsSection>
  );
}
