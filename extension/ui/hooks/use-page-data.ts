import { useEffect } from 'react';
import type { PageServices } from '../../adapters/create-page-services';

/**
 * Loads (decrypts) providers and personas while the unlocked view is mounted and forgets
 * them, keys included, when it unmounts (the vault gate unmounts it on lock).
 */
export function usePageData(services: Pick<PageServices, 'providers' | 'personas'>): void {
  useEffect(() => {
    // A failure leaves the lists empty; the pages say "no provider" and offer to add one.
    const load = () => {
      void services.providers.load().catch(() => undefined);
      void services.personas.load().catch(() => undefined);
    };
    load();
    // The other page (Options ↔ side panel) may have changed them meanwhile.
    window.addEventListener('focus', load);
    return () => {
      window.removeEventListener('focus', load);
      services.providers.reset();
      services.personas.reset();
    };
  }, [services.providers, services.personas]);
}
