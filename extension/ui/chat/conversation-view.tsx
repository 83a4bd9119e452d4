import { useState, type FormEvent } from 'react';
import type { ChatController, ChatState } from '../../core/conversations/chat-controller';
import { AnswerAnnouncer } from './answer-announcer';
import { MessageList } from './message-list';

/** Header (title, rename, delete), the messages, and the notices of the open conversation. */
export function ConversationView({ chat, state }: { chat: ChatController; state: ChatState }) {
  const current = state.conversations.find((c) => c.id === state.selectedId);
  const [renaming, setRenaming] = useState<string>();
  // Deleting tombstones every message: ask once, in place (no window.confirm in a panel).
  const [confirmingDelete, setConfirmingDelete] = useState<string>();

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
              {confirmingDelete === current.id ? (
                <span className="row" role="group" aria-label="Confirm delete">
                  <span className="small">Delete this conversation and its messages?</span>
                  <button
                    data-testid="conv-delete-confirm"
                    type="button"
                    className="danger"
                    onClick={() => {
                      setConfirmingDelete(undefined);
                      void chat.remove(current.id);
                    }}
                  >
                    Delete
                  </button>
                  <button
                    data-testid="conv-delete-cancel"
                    type="button"
                    className="link"
                    onClick={() => setConfirmingDelete(undefined)}
                  >
                    Cancel
                  </button>
                </span>
              ) : (
                <button
                  data-testid="conv-delete"
                  type="button"
                  className="danger"
                  onClick={() => setConfirmingDelete(current.id)}
                >
                  Delete
                </button>
              )}
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
              <button
                data-testid="conv-rename-cancel"
                type="button"
                className="link"
                onClick={() => setRenaming(undefined)}
              >
                Cancel
              </button>
            </form>
          )}
        </header>
      )}
      <MessageList chat={chat} state={state} />
      <AnswerAnnouncer state={state} />
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
