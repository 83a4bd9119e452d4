/**
 * Token usage per provider, model and UTC day in the encrypted `usage` collection, the
 * input for later cost and budget views. Platform-free.
 */
import type { MessageUsage, UsageTotal } from '../models';
import { RecordError, type RecordRepo } from '../records/record-repo-port';

/** `YYYY-MM-DD` (UTC) of a timestamp. */
export function usageDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The record id of one provider + model + day total. */
export function usageRecordId(providerId: string, model: string, day: string): string {
  return `${day}|${providerId}|${model}`;
}

/** Adds one answer's tokens to its day's total (creating the total on first use). */
export async function recordUsage(
  repo: RecordRepo<UsageTotal>,
  entry: { providerId: string; model: string; usage: MessageUsage; at: number },
): Promise<UsageTotal> {
  const day = usageDay(entry.at);
  const id = usageRecordId(entry.providerId, entry.model, day);
  let total: UsageTotal;
  try {
    total = await repo.get(id);
  } catch (e) {
    // A missing, deleted or damaged total starts again from zero rather than losing today.
    if (!(e instanceof RecordError) || e.code === 'locked') throw e;
    total = {
      id,
      providerId: entry.providerId,
      model: entry.model,
      day,
      inputTokens: 0,
      outputTokens: 0,
      requests: 0,
    };
  }
  const next: UsageTotal = {
    ...total,
    inputTokens: total.inputTokens + entry.usage.inputTokens,
    outputTokens: total.outputTokens + entry.usage.outputTokens,
    requests: total.requests + 1,
  };
  await repo.put(id, next);
  return next;
}
