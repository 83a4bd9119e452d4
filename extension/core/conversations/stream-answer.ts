/**
 * Runs one provider stream to its end and says how it ended. Never throws: a failure
 * becomes a status and a plain-words reason, and whatever text arrived is returned.
 */
import type { ChatRequest, ProviderAdapter, ToolCall } from '../chat/provider';
import type { Message, MessageUsage } from '../models';
import { outcomeOf } from './answer-parts';

/** What one streamed answer produced. */
export interface StreamedAnswer {
  text: string;
  usage?: MessageUsage;
  ending: Pick<Message, 'status' | 'error'>;
  /** Tool calls the model proposed (complete ones only). */
  toolCalls: ToolCall[];
}

/**
 * Streams `req` through the adapter `getAdapter()` returns (building it may throw a config
 * error, which is reported like any other failure), calling `onDelta` with the text and
 * thinking so far after each delta.
 */
export async function streamAnswer(
  getAdapter: () => ProviderAdapter,
  req: ChatRequest,
  onDelta: (text: string, reasoning: string) => void,
): Promise<StreamedAnswer> {
  let text = '';
  let reasoning = '';
  let usage: MessageUsage | undefined;
  const toolCalls: ToolCall[] = [];
  try {
    for await (const ev of getAdapter().stream(req)) {
      if (ev.type === 'text') text += ev.delta;
      else if (ev.type === 'reasoning') reasoning += ev.delta;
      else if (ev.type === 'tool-call') toolCalls.push(ev.call);
      else if (ev.type === 'usage')
        usage = { inputTokens: ev.usage.inputTokens, outputTokens: ev.usage.outputTokens };
      if (ev.type === 'text' || ev.type === 'reasoning') onDelta(text, reasoning);
    }
    return { text, ...(usage ? { usage } : {}), ending: { status: 'complete' }, toolCalls };
  } catch (e) {
    const { status, error } = outcomeOf(e, text !== '');
    return { text, ...(usage ? { usage } : {}), ending: { status, error }, toolCalls };
  }
}
