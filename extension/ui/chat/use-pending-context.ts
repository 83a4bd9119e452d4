import { useEffect } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { applyPending } from '../../core/background/apply-pending';

/**
 * Picks up a context-menu click (selection or page) left by the background, now and
 * whenever a new one arrives while the panel is open. Mounted only while unlocked.
 */
export function usePendingContext(
  services: Pick<PageServices, 'pending' | 'chat' | 'prompts'>,
): void {
  useEffect(() => {
    let alive = true;
    const pickUp = async () => {
      const p = await services.pending.take().catch(() => undefined);
      if (!p || !alive) return;
      await applyPending(p, {
        attach: (a, prompt, notice) => services.chat.attach(a, prompt, notice),
        userPrompt: (id) => services.prompts.get(id),
      });
    };
    void pickUp();
    // The prompts list feeds the "My prompts" menu; load it once unlocked.
    void services.prompts.load().catch(() => undefined);
    const off = services.pending.subscribe(() => void pickUp());
    return () => {
      alive = false;
      off();
    };
  }, [services]);
}
