import { useEffect } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { usePageData } from '../hooks/use-page-data';
import { useStore } from '../hooks/use-store';
import './chat.css';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { ModelBar } from './model-bar';

/** The unlocked side panel: conversations, model bar, the open conversation and the composer. */
export function ChatShell({ services }: { services: PageServices }) {
  const state = useStore(services.chat);
  usePageData(services);
  const streaming = state.streamingId !== undefined;

  useEffect(() => {
    if (!streaming) return;
    // Esc stops the answer from anywhere in the panel, like the Stop button.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') services.chat.stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [streaming, services.chat]);

  return (
    <div className="app" data-testid="app-root">
      <header className="row topbar">
        <strong className="grow">Nook</strong>
        <a href="/options.html" target="_blank" rel="noreferrer">
          Options
        </a>
        <button data-testid="lock-now" type="button" onClick={() => void services.vault.lock()}>
          Lock now
        </button>
      </header>
      <ConversationList chat={services.chat} state={state} />
      <ModelBar services={services} state={state} />
      <ConversationView chat={services.chat} state={state} />
      <Composer chat={services.chat} streaming={streaming} />
    </div>
  );
}
