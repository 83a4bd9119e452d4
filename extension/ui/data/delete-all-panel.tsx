import { useState } from 'react';
import type { PageDataControls } from '../../adapters/data/page-data';
import { useAsyncAction } from '../hooks/use-async-action';
import { dataErrorText } from './data-ui';

const CONFIRM_WORD = 'DELETE';

/**
 * "Delete all data": erases the vault, every conversation, memory, key and setting in this
 * browser, and both extension storage areas. The page then shows only a way back to setup.
 */
export function DeleteAllPanel({ data }: { data: PageDataControls }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const action = useAsyncAction();

  const wipe = () =>
    void action.run(async () => {
      try {
        await data.deleteAllData();
        setDone(true);
      } catch (err) {
        setError(
          dataErrorText(
            err,
            'Not everything could be deleted. Close other Nook windows and try again.',
          ),
        );
      }
    });

  if (done) {
    return (
      <div
        className="wiped-overlay stack"
        role="alertdialog"
        aria-labelledby="wiped-title"
        data-testid="wiped"
      >
        <h2 id="wiped-title">All Nook data was deleted from this browser</h2>
        <p>Conversations, memory, API keys, settings and the vault itself are gone.</p>
        <button
          type="button"
          className="primary"
          data-testid="wiped-restart"
          onClick={() => location.reload()}
        >
          Set up Nook again
        </button>
      </div>
    );
  }

  return (
    <div className="stack" aria-labelledby="delete-all-title">
      <h3 id="delete-all-title">Delete all data</h3>
      <p className="muted">
        Erases everything Nook keeps in this browser — conversations, memory, API keys, settings and
        the vault — and returns Nook to its first-run screen. Export first if you want a copy. Data
        on a sync relay is not touched (delete the relay account in Options → Sync).
      </p>
      <label>
        Type {CONFIRM_WORD} to confirm
        <input
          data-testid="delete-all-confirm"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
      </label>
      <button
        type="button"
        className="danger"
        data-testid="delete-all"
        disabled={typed !== CONFIRM_WORD || action.busy}
        onClick={wipe}
      >
        {action.busy ? 'Deleting…' : 'Delete all data'}
      </button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
