/**
 * Shows relay changes in a page that is not the one running sync: when the running page
 * announces that it applied changes, this page re-reads its conversation list and the open
 * conversation. Nothing happens while an answer streams (the next announcement or a reload
 * catches up) or while the chat was never loaded (the options page, a locked page).
 */
import type { ChatController } from '../conversations/chat-controller';

/** The chat calls this needs. */
export type ReloadableChat = Pick<ChatController, 'getState' | 'load' | 'select'>;

/** Subscribes `chat` to `onRemoteChange`; returns the unsubscribe. */
export function reloadOnRemoteChange(
  onRemoteChange: (listener: () => void) => () => void,
  chat: ReloadableChat,
): () => void {
  let chain: Promise<void> = Promise.resolve();
  const reload = async () => {
    const before = chat.getState();
    if (before.loading || before.streamingId !== undefined) return;
    await chat.load();
    const { selectedId, conversations, streamingId } = chat.getState();
    if (selectedId === undefined || streamingId !== undefined) return;
    // Re-open the conversation to show new messages, or leave it if it was deleted.
    const stillThere = conversations.some((c) => c.id === selectedId);
    await chat.select(stillThere ? selectedId : undefined);
  };
  return onRemoteChange(() => {
    chain = chain.then(reload).catch(() => undefined);
  });
}
