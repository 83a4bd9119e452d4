import { useCallback, useRef, useState } from 'react';

/**
 * Runs one async action at a time and exposes `busy`; a second click while busy is
 * ignored, so a slow Argon2 derivation cannot be started twice.
 */
export function useAsyncAction() {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, run };
}
