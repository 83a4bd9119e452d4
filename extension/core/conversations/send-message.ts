/**
 * The chat controller's `send`: saves the user's message and starts its answer at once.
 * The request goes out while the message is being written (the writes are the slowest part
 * of a send); if they fail, the answer is dropped, the message leaves the view and the
 * text stays in the composer. Platform-free.
 */
import type { Conversation, Message } from '../models';
import type { RecordResult } from '../records/record-repo-port';
import type { SendExtras } from '../redaction/outbound';
import { RedactionError } from '../redaction/types';
import { byNewest, okEntry, type ChatControllerDeps, type PendingQuestion } from './chat-state';
import type { ChatStore } from './chat-store';
import { composeSend } from './outbound-message';
import type { SearchIndex } from './search-index';

/** Shown when the user's message could not be stored. */
export const SEND_FAILED = 'Your message could not be saved. It is still in the box; try again.';

export interface SendContext {
  deps: ChatControllerDeps;
  store: ChatStore;
  index: SearchIndex;
  now: () => number;
  newId: () => string;
  /** Changes on every lock: what a send learns afterwards must not reach the view. */
  locks: () => number;
  /** Starts the answer to the message being stored (see PendingQuestion). */
  answer: (conversation: Conversation, question: PendingQuestion) => void;
}

/**
 * Saves the user's message (creating a conversation titled from it if needed) and starts
 * the answer. Resolves true once the message is stored (the composer may clear), false
 * when nothing was sent or the save failed (the text must stay in the composer).
 */
export async function sendMessage(
  ctx: SendContext,
  text: string,
  extras: SendExtras = {},
): Promise<boolean> {
  const { deps, store, index } = ctx;
  const before = store.get();
  const content = text.trim();
  const attachment = extras.attachment ?? before.attachment;
  if ((!content && !attachment) || before.streamingId) return false;
  const open = before.conversations.find((c) => c.id === before.selectedId);
  let composed;
  try {
    composed = composeSend({
      redactor: deps.redactor?.(),
      existing: open?.ok ? open.value : undefined,
      draft: before.draft,
      content,
      extras: { ...extras, attachment },
      at: ctx.now(),
      newId: ctx.newId,
    });
  } catch (e) {
    store.update({ error: e instanceof RedactionError ? e.message : SEND_FAILED });
    return false;
  }
  const { conversation, message } = composed;
  const previous = before.conversations.find((c) => c.id === conversation.id);

  // Shown at once (revision 0 until stored) so the answer can start from it.
  store.upsertConversation(conversation, previous?.rev ?? 0);
  store.update({
    selectedId: conversation.id,
    messages: [
      ...(before.selectedId === conversation.id ? before.messages : []),
      okEntry(message, 0),
    ],
    notice: undefined,
    error: undefined,
    draft: {},
    attachment: undefined,
  });
  // Written once the request is under way (the runner says when: a task later, so the
  // provider's fetch is out first), or at once if no answer starts.
  let send!: () => void;
  const sent = new Promise<void>((resolve) => (send = resolve));
  const writes = sent.then(() =>
    Promise.allSettled([
      deps.messages.put(message.id, message),
      deps.conversations.put(conversation.id, conversation),
    ]),
  );
  const locks = ctx.locks();
  const saved = writes.then(([m, c]) => {
    if (m.status === 'rejected' || c.status === 'rejected') throw new Error('not saved');
    if (ctx.locks() !== locks) return;
    index.addMessage(conversation.id, message.id, content);
    showRevisions(store, conversation, c.value, message, m.value);
  });
  let started = false;
  ctx.answer(conversation, {
    saved,
    sent() {
      if (started) return;
      started = true;
      setTimeout(send, 0);
    },
  });
  try {
    await saved;
    return true;
  } catch {
    const [m, c] = await writes;
    // Half a send must not stay behind: a retry would store the message twice.
    if (m.status === 'fulfilled') await deps.messages.delete(message.id).catch(() => undefined);
    if (c.status === 'fulfilled' && !previous)
      await deps.conversations.delete(conversation.id).catch(() => undefined);
    // An open conversation whose update was stored is shown as stored.
    const shown =
      c.status === 'fulfilled' && previous ? okConversation(conversation, c.value) : previous;
    if (ctx.locks() === locks) undo(ctx, before, shown, conversation, message);
    return false;
  }
}

const okConversation = (c: Conversation, rev: number): RecordResult<Conversation> => ({
  ok: true,
  id: c.id,
  rev,
  updatedAt: c.updatedAt,
  value: c,
});

/** Gives the stored revisions to what the view shows, if it still shows these values. */
function showRevisions(
  store: ChatStore,
  conversation: Conversation,
  conversationRev: number,
  message: Message,
  messageRev: number,
): void {
  const state = store.get();
  const shown = state.conversations.find((c) => c.id === conversation.id);
  if (shown?.ok && shown.value === conversation)
    store.upsertConversation(conversation, conversationRev);
  if (state.messages.some((m) => m.ok && m.value === message))
    store.update({
      messages: store
        .get()
        .messages.map((m) => (m.ok && m.value === message ? okEntry(message, messageRev) : m)),
    });
}

/** Takes the unsaved message out of view and restores the conversation, draft and attachment. */
function undo(
  ctx: SendContext,
  before: ReturnType<ChatStore['get']>,
  previous: RecordResult<Conversation> | undefined,
  conversation: Conversation,
  message: Message,
): void {
  const { store, index } = ctx;
  const state = store.get();
  const rest = state.conversations.filter((c) => c.id !== conversation.id);
  if (previous?.ok) index.setTitle(previous.id, previous.value.title);
  else if (!previous) index.removeConversation(conversation.id);
  const showing = state.selectedId === conversation.id;
  store.update({
    conversations: previous ? [previous, ...rest].sort(byNewest) : rest,
    ...(showing && !previous
      ? { selectedId: before.selectedId, messages: before.messages }
      : showing
        ? { messages: state.messages.filter((m) => m.id !== message.id) }
        : {}),
    draft: before.draft,
    attachment: before.attachment,
    notice: undefined,
    error: SEND_FAILED,
  });
}
