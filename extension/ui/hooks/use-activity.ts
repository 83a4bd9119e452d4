import { useEffect } from 'react';
import type { VaultService } from '../../core/vault/vault-service';

/** Reports keyboard and pointer activity so the background's idle auto-lock stays accurate. */
export function useActivityReporter(vault: VaultService): void {
  useEffect(() => {
    const onActivity = () => void vault.reportActivity();
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [vault]);
}
