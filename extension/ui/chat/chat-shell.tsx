import { useEffect, useMemo, useState } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import { usePageData } from '../hooks/use-page-data';
import { useStore } from '../hooks/use-store';
import { preloadMarkdown } from '../markdown';
import { FilesPanel } from '../sandbox/files-panel';
import '../sandbox/run-code-card';
import { SandboxUiContext } from '../sandbox/sandbox-context';
import './chat.css';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { ModelBar } from './model-bar';
import './save-memory-card';
import { ToolServicesContext } from './tool-call-card';
import { usePendingContext } from './use-pending-context';

/** The unlocked side panel: conversations, model bar, the open conversation and the composer. */
export function ChatShell({ services }: { services: PageServices }) {
  const state = useStore(services.chat);
  usePageData(services);
  // A right-click on a page (selection or whole page) arrives here ready to edit and send.
  usePendingContext(services);
  const toolServices = useMemo(() => ({ memory: services.memory }), [services.memory]);
  const sandboxUi = useMemo(
    () => ({ sandbox: services.sandbox.client, live: services.sandbox.live }),
    [services.sandbox],
  );
  const streaming = state.streamingId !== undefined;

  // The Markdown renderer loads on demand; fetch it while the user picks a conversation.
  useEffect(preloadMarkdown, []);
  const [filesOpen, setFilesOpen] = useState(false);

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
        <button
          data-testid="sandbox-files-toggle"
          type="button"
          aria-expanded={filesOpen}
          onClick={() => setFilesOpen((o) => !o)}
        >
          Files
        </button>
        <a href="/options.html" target="_blank" rel="noreferrer">
          Options
        </a>
        <button data-testid="lock-now" type="button" onClick={() => void services.vault.lock()}>
          Lock now
        </button>
      </header>
      {filesOpen && (
        <FilesPanel store={services.sandbox.files} onClose={() => setFilesOpen(false)} />
      )}
      <ConversationList chat={services.chat} state={state} />
      <ModelBar services={services} state={state} />
      <ToolServicesContext.Provider value={toolServices}>
        <SandboxUiContext.Provider value={sandboxUi}>
          <ConversationView chat={services.chat} state={state} />
        </SandboxUiContext.Provider>
      </ToolServicesContext.Provider>
      <Composer chat={services.chat} streaming={streaming} redactor={services.redactor} />
    </div>
  );
}
