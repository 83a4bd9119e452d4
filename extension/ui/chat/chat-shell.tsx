import type { PageServices } from '../../adapters/create-page-services';
import { useStore } from '../hooks/use-store';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';

/** The unlocked side panel: conversations, the open conversation and the composer. */
export function ChatShell({ services }: { services: PageServices }) {
  const state = useStore(services.chat);
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
      <ConversationView chat={services.chat} state={state} />
      <Composer chat={services.chat} />
    </div>
  );
}
