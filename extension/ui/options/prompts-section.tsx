import { useEffect, useState, type FormEvent } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { PromptError, SELECTION_PLACEHOLDER } from '../../core/background/prompts';
import { useStore } from '../hooks/use-store';
import { OptionsSection } from './options-section';

/**
 * Options → Prompts: the user's own right-click prompts ("My prompts" on a selection).
 * `{{selection}}` refers to the selected text, which always travels as a separate quote.
 */
export function PromptsSection({ services }: { services: Pick<PageServices, 'prompts'> }) {
  const state = useStore(services.prompts);
  const [editingId, setEditingId] = useState<string>();
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  const [status, setStatus] = useState<string>();

  useEffect(() => {
    services.prompts.load().catch(() => setStatus('Your prompts could not be loaded.'));
  }, [services.prompts]);

  const reset = () => {
    setEditingId(undefined);
    setName('');
    setTemplate('');
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const p = await services.prompts.save({
        ...(editingId ? { id: editingId } : {}),
        name,
        template,
      });
      reset();
      setStatus(`Saved “${p.name}”. It is in the right-click menu under My prompts.`);
    } catch (err) {
      setStatus(err instanceof PromptError ? err.message : 'The prompt could not be saved.');
    }
  };

  return (
    <OptionsSection id="prompts" title="Prompts" testId="prompts-section">
      <p className="small muted">
        Your own actions for selected text, in the right-click menu under <em>My prompts</em>. Write{' '}
        <code>{SELECTION_PLACEHOLDER}</code> where you mean the selection; the selected text itself
        is attached as a quote you can see before sending.
      </p>
      {state.damaged > 0 && (
        <p className="error">{state.damaged} saved prompt(s) could not be decrypted.</p>
      )}
      <ul className="list">
        {state.prompts.map((p) => (
          <li key={p.id} data-testid="prompt-item" className="row provider-item">
            <span className="grow">
              <strong>{p.name}</strong>
              <br />
              <span className="muted small">{p.template}</span>
            </span>
            <button
              data-testid="prompt-edit"
              type="button"
              className="link"
              onClick={() => {
                setEditingId(p.id);
                setName(p.name);
                setTemplate(p.template);
              }}
            >
              Edit
            </button>
            <button
              data-testid="prompt-remove"
              type="button"
              className="link danger"
              onClick={() => void services.prompts.remove(p.id)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={(e) => void save(e)}>
        <label>
          Name (shown in the menu)
          <input data-testid="prompt-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Prompt
          <textarea
            data-testid="prompt-template"
            rows={3}
            placeholder={`Rewrite ${SELECTION_PLACEHOLDER} in a friendly tone`}
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
          />
        </label>
        <div className="row">
          <button data-testid="prompt-save" type="submit" className="primary">
            {editingId ? 'Save changes' : 'Add prompt'}
          </button>
          {editingId && (
            <button type="button" className="link" onClick={reset}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {status && (
        <p data-testid="prompt-status" role="status" className="small">
          {status}
        </p>
      )}
    </OptionsSection>
  );
}
