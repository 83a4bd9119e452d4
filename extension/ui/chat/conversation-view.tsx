import { useState, type FormEvent } from 'react';
import type { ChatController, ChatState } from '../../core/conversations/chat-controller';
import { RECORD_ERROR_MESSAGE } from '../../core/records/record-repo-port';

/** Header (title, rename, delete) and the messages of the selected conversation. */
export function ConversationView({ chat, state }: { chat: ChatController; state: ChatState }) {
  const current = state.conversations.find((c) => c.id === state.selectedId);
  const [renaming, setRenaming] = useState<string>();

  const saveRename = (e: FormEvent) => {
    e.preventDefault();
    if (current && renaming !== undefined)
      void chat.rename(current.id, renaming).then(() => setRenaming(undefined));
  };

  return (
    <section className="conversation" aria-label="Conversation">
      {current?.ok && (
        <header className="row conv-header">
          {renaming === undefined ? (
            <>
              <h2 className="grow">{current.value.title}</h2>
              <button
                data-testid="conv-rename"
                type="button"
                onClick={() => setRenaming(current.value.title)}
              >
                Rename
              </button>
              <button
                data-testid="conv-delete"
                type="button"
                className="danger"
                onClick={() => void chat.remove(current.id)}
              >
                Delete
              </button>
            </>
          ) : (
            <form className="row grow" onSubmit={saveRename}>
              <input
                data-testid="conv-rename-input"
                aria-label="Conversation title"
                className="grow"
                value={renaming}
                onChange={(e) => setRenaming(e.target.value)}
                autoFocus
              />
              <button data-testid="conv-rename-save" type="submit">
                Save
              </button>
              <button type="button" className="link" onClick={() => setRenaming(undefined)}>
                Cancel
              </button>
            </form>
          )}
        </header>
      )}
      <ol data-testid="msg-list" className="messages" aria-live="polite">
        {state.messages.map((m) =>
          m.ok ? (
            <li key={m.id} data-testid="msg-item" className={`message ${m.value.role}`}>
              <span className="sr-only">{m.value.role === 'user' ? 'You' : 'Nook'}: </span>
              {m.value.content}
            </li>
          ) : (
            <li key={m.id} data-testid="record-error" className="message record-error" role="note">
              {RECORD_ERROR_MESSAGE[m.error.code]}
            </li>
          ),
        )}
      </ol>
      {state.notice && (
        <p data-testid="chat-notice" className="notice" role="status">
          {state.notice}
        </p>
      )}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </section>
  );
}
