import { useEffect, useState, type FormEvent } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { parseRetentionDays } from '../../core/retention/retention';
import { loadSettings, saveSettings } from '../../core/settings/settings';
import { dataErrorText } from './data-ui';

/** Options → Data → Keep conversations for N days (empty = forever). */
export function RetentionPanel({ services }: { services: PageServices }) {
  const { repos, data } = services;
  const [days, setDays] = useState('');
  const [status, setStatus] = useState<string>();

  useEffect(() => {
    let live = true;
    void loadSettings(repos.settings).then(
      ({ settings }) =>
        live && setDays(settings.retentionDays ? String(settings.retentionDays) : ''),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [repos.settings]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseRetentionDays(days);
    if (!parsed.ok) return setStatus(parsed.message);
    try {
      const { settings } = await loadSettings(repos.settings);
      const next = { ...settings };
      if (parsed.days === undefined) delete next.retentionDays;
      else next.retentionDays = parsed.days;
      await saveSettings(repos.settings, next);
      const deleted = await data.runRetention();
      setStatus(
        parsed.days === undefined
          ? 'Saved. Conversations are kept until you delete them.'
          : `Saved. Conversations untouched for ${parsed.days} days are deleted` +
              ` (now: ${deleted}; then on every unlock and once a day).`,
      );
    } catch (err) {
      setStatus(dataErrorText(err, 'The setting could not be saved.'));
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void save(e)} aria-labelledby="retention-title">
      <h3 id="retention-title">Keep conversations</h3>
      <label>
        Delete conversations not used for this many days (leave empty to keep them all)
        <input
          data-testid="retention-days"
          type="number"
          min={1}
          max={3650}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </label>
      <div className="row">
        <button data-testid="retention-save" type="submit">
          Save
        </button>
        {status && (
          <span className="muted" role="status" data-testid="retention-status">
            {status}
          </span>
        )}
      </div>
    </form>
  );
}
