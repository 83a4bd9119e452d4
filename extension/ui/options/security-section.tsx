import { useEffect, useState, type FormEvent } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { loadSettings, parseAutoLockMinutes, saveSettings } from '../../core/settings/settings';
import { TextField } from '../form-fields';
import { errorText } from '../hooks/error-text';
import { useAsyncAction } from '../hooks/use-async-action';
import { OptionsSection } from './options-section';

/** Auto-lock timeout, change passphrase and "Lock now". */
export function SecuritySection({ services }: { services: PageServices }) {
  const { repos, vault } = services;
  const [minutes, setMinutes] = useState('');
  const [autoLockStatus, setAutoLockStatus] = useState<string>();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [changeResult, setChangeResult] = useState<string>();
  const change = useAsyncAction();

  useEffect(() => {
    let live = true;
    void loadSettings(repos.settings).then(
      ({ settings, damaged }) => {
        if (!live) return;
        setMinutes(String(settings.autoLockMinutes));
        if (damaged)
          setAutoLockStatus('Your settings could not be decrypted; the defaults are shown.');
      },
      () => live && setAutoLockStatus('Your settings could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [repos.settings]);

  const saveAutoLock = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseAutoLockMinutes(minutes);
    if (!parsed.ok) return setAutoLockStatus(parsed.message);
    try {
      const { settings } = await loadSettings(repos.settings);
      await saveSettings(repos.settings, { ...settings, autoLockMinutes: parsed.minutes });
      await vault.setAutoLockMinutes(parsed.minutes);
      setAutoLockStatus(`Saved. Nook locks after ${parsed.minutes} idle minutes.`);
    } catch (err) {
      setAutoLockStatus(errorText(err, 'The setting could not be saved.'));
    }
  };

  const submitChange = (e: FormEvent) => {
    e.preventDefault();
    setChangeResult(undefined);
    void change.run(async () => {
      try {
        const result = await vault.changePassphrase(current, next, confirm);
        if (!result.ok) return setChangeResult(result.message);
        setCurrent('');
        setNext('');
        setConfirm('');
        setChangeResult('Passphrase changed. Use the new one next time you unlock.');
      } catch (err) {
        setChangeResult(
          errorText(err, 'The passphrase could not be updated. Your old one still works.'),
        );
      }
    });
  };

  return (
    <OptionsSection id="security" title="Security">
      <form className="stack" onSubmit={(e) => void saveAutoLock(e)}>
        <TextField
          label="Lock after this many idle minutes"
          testId="autolock-minutes"
          type="number"
          min={1}
          max={1440}
          value={minutes}
          onChange={setMinutes}
        />
        <div className="row">
          <button data-testid="autolock-save" type="submit">
            Save
          </button>
          {autoLockStatus && (
            <span className="muted" role="status">
              {autoLockStatus}
            </span>
          )}
        </div>
      </form>

      <form className="stack" onSubmit={submitChange}>
        <h3>Change passphrase</h3>
        <p className="muted small">
          Your data stays as it is; only the key that unlocks it is re-wrapped.
        </p>
        <TextField
          label="Current passphrase"
          testId="change-current"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <TextField
          label="New passphrase"
          testId="change-new"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={setNext}
        />
        <TextField
          label="Repeat new passphrase"
          testId="change-confirm"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={setConfirm}
        />
        <button data-testid="change-submit" type="submit" disabled={change.busy}>
          {change.busy ? 'Updating…' : 'Change passphrase'}
        </button>
        {changeResult && !change.busy && (
          <p data-testid="change-result" role="status">
            {changeResult}
          </p>
        )}
      </form>

      <div>
        <button data-testid="lock-now" type="button" onClick={() => void vault.lock()}>
          Lock now
        </button>
      </div>
    </OptionsSection>
  );
}
