/**
 * The panel's side of a context-menu click: turns the {@link PendingContext} the background
 * left in storage.session into a composer ready to send (quote, title, URL, editable prompt).
 */
import type { PageAttachment } from '../models';
import { newBoundary } from '../redaction/outbound';
import type { PendingContext } from './context-menu';
import { fillPrompt, type UserPrompt } from './prompts';

/** Older than this, a pending click is stale (the panel was closed meanwhile): dropped. */
export const PENDING_MAX_AGE_MS = 10 * 60_000;

/** What applying needs. */
export interface ApplyPendingDeps {
  /** `prompt` undefined leaves the composer's text alone. */
  attach(attachment: PageAttachment | undefined, prompt?: string, notice?: string): Promise<void>;
  userPrompt(id: string): Promise<UserPrompt | undefined>;
  now?: () => number;
}

/** Applies one pending context; returns false when it was stale. */
export async function applyPending(p: PendingContext, deps: ApplyPendingDeps): Promise<boolean> {
  const now = deps.now?.() ?? Date.now();
  if (now - p.createdAt > PENDING_MAX_AGE_MS) return false;
  let prompt = p.prompt;
  let notice = p.notice;
  if (p.userPromptId) {
    const user = await deps.userPrompt(p.userPromptId).catch(() => undefined);
    if (user) prompt = fillPrompt(user.template);
    else notice = 'That prompt no longer exists; write your question instead.';
  }
  // Nothing readable: only say why, and leave whatever the user was writing untouched.
  if (!p.attachment) {
    await deps.attach(undefined, undefined, notice ?? 'Nook could not read this page.');
    return true;
  }
  await deps.attach({ ...p.attachment, boundary: newBoundary() }, prompt, notice);
  return true;
}
