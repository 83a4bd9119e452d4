import { useState, type FormEvent } from 'react';
import type { HostAccess } from '../../core/chat/host-access';
import { syncErrorText } from '../../core/sync-bridge/errors';
import { useAsyncAction } from '../hooks/use-async-action';
import { PERMISSION_REFUSED, requestRelayAccess } from './relay-permission';

/**
 * The submit flow the relay forms share (connect, link): check the relay address, ask for
 * its host permission inside the click, then run the form's action once with the checked
 * URL, showing any failure in plain words.
 */
export function useRelaySubmit(hostAccess: HostAccess) {
  const [relayUrl, setRelayUrl] = useState('');
  const [error, setError] = useState<string>();
  const { busy, run } = useAsyncAction();

  /** A form `onSubmit` handler that runs `action` with the checked relay URL. */
  const submitWith = (action: (url: string) => Promise<void>) => (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    // Synchronous up to the permission request: the click's user gesture must still count.
    const access = requestRelayAccess(relayUrl, hostAccess);
    if (!access.ok) return setError(access.message);
    void run(async () => {
      if (!(await access.granted)) return setError(PERMISSION_REFUSED);
      try {
        await action(access.url);
      } catch (err) {
        setError(syncErrorText(err));
      }
    });
  };

  return { relayUrl, setRelayUrl, error, busy, submitWith };
}
