import { RECORD_ERROR_MESSAGE } from '../../core/records/record-repo-port';
import type { ChatController, ChatState } from '../../core/conversations/chat-controller';

/** Search box, "New" button and the list of conversations (newest first). */
export function ConversationList({ chat, state }: { chat: ChatController; state: ChatState }) {
  const visible = state.conversations.filter((c) => !state.matches || state.matches.has(c.id));
  return (
    <nav className="conversations" aria-label="Conversations">
      <div className="row">
        <input
          data-testid="conv-search"
          type="search"
          aria-label="Search conversations"
          placeholder="Search"
          value={state.query}
          onChange={(e) => chat.setQuery(e.target.value)}
        />
        <button data-testid="conv-new" type="button" onClick={() => void chat.select(undefined)}>
          New
        </button>
      </div>
      <ul data-testid="conv-list" className="list">
        {visible.map((c) =>
          c.ok ? (
            <li key={c.id}>
              <button
                data-testid="conv-item"
                type="button"
                className={c.id === state.selectedId ? 'item selected' : 'item'}
                aria-current={c.id === state.selectedId}
                onClick={() => void chat.select(c.id)}
              >
                {c.value.title}
              </button>
            </li>
          ) : (
            <li key={c.id} data-testid="record-error" className="item record-error" role="note">
              {RECORD_ERROR_MESSAGE[c.error.code]}
            </li>
          ),
        )}
        {!state.loading && visible.length === 0 && (
          <li className="muted small">
            {state.query ? 'No conversation matches.' : 'No conversations yet.'}
          </li>
        )}
      </ul>
    </nav>
  );
}
