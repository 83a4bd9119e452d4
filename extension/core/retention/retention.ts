/**
 * Retention: conversations nobody touched for N days are deleted with their messages
 * (Options → Data). Runs after every unlock and on a daily alarm while unlocked.
 * Platform-free; the repositories are the ports.
 */
import type { Conversation, Message } from '../models';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';

const DAY_MS = 86_400_000;
export const RETENTION_LIMITS = { min: 1, max: 3650 } as const;

/** Checks the retention field; empty means "keep everything". */
export function parseRetentionDays(
  input: string,
): { ok: true; days: number | undefined } | { ok: false; message: string } {
  const text = input.trim();
  if (text === '') return { ok: true, days: undefined };
  const days = Number(text);
  if (!Number.isInteger(days) || days < RETENTION_LIMITS.min || days > RETENTION_LIMITS.max) {
    return {
      ok: false,
      message: `Enter a whole number of days from ${RETENTION_LIMITS.min} to ${RETENTION_LIMITS.max}, or leave it empty to keep everything.`,
    };
  }
  return { ok: true, days };
}

/** When a conversation was last touched; a damaged one falls back to its row's write time. */
const lastTouched = (r: RecordResult<Conversation>) => (r.ok ? r.value.updatedAt : r.updatedAt);

/** Ids of the conversations older than `days` at `now`. */
export function expiredConversations(
  conversations: readonly RecordResult<Conversation>[],
  days: number,
  now: number,
): string[] {
  const cutoff = now - days * DAY_MS;
  return conversations.filter((c) => lastTouched(c) < cutoff).map((c) => c.id);
}

/** Deletes one conversation and every message in it (tombstones; nothing readable remains). */
export async function deleteConversation(
  repos: { conversations: RecordRepo<Conversation>; messages: RecordRepo<Message> },
  conversationId: string,
): Promise<void> {
  const messages = await repos.messages.list({
    kind: 'equals',
    index: 'conversationId',
    value: conversationId,
  });
  for (const m of messages) await repos.messages.delete(m.id);
  await repos.conversations.delete(conversationId);
}

/** Applies the retention rule; returns how many conversations were deleted. */
export async function applyRetention(
  repos: { conversations: RecordRepo<Conversation>; messages: RecordRepo<Message> },
  days: number | undefined,
  now: number,
): Promise<number> {
  if (days === undefined || !(days >= RETENTION_LIMITS.min)) return 0;
  const expired = expiredConversations(await repos.conversations.list(), days, now);
  for (const id of expired) await deleteConversation(repos, id);
  return expired.length;
}
