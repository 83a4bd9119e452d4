/**
 * The user messages the engine saves: a new message (and its conversation, created from
 * the draft when none is open) and an edited one, each with what the provider will see
 * after the page quote and redaction (`outboundFields`). Pure; the controller saves them.
 */
import type { Conversation, Message } from '../models';
import { outboundFields, type SendExtras } from '../redaction/outbound';
import type { Redactor } from '../redaction/redactor';
import type { RedactionMap } from '../redaction/types';
import type { ConversationOptions } from './answer-parts';
import { titleFromText } from './titles';

/** What `send` saves: the message and its conversation (new, or updated with new state). */
export interface ComposedSend {
  conversation: Conversation;
  message: Message;
}

/**
 * Builds the message `send` saves. A new conversation takes the draft's options and a
 * title from the text (or the attachment). Sending page content marks it untrusted.
 * @throws RedactionError when the redaction preview no longer matches the text.
 */
export function composeSend(input: {
  redactor: Redactor | undefined;
  /** The open conversation, or undefined to start one. */
  existing: Conversation | undefined;
  draft: ConversationOptions;
  content: string;
  extras: SendExtras;
  at: number;
  newId: () => string;
}): ComposedSend {
  const { content, extras, at } = input;
  const { attachment } = extras;
  let conversation: Conversation = input.existing
    ? { ...input.existing, updatedAt: at }
    : {
        ...input.draft,
        id: input.newId(),
        title: titleFromText(content || (attachment?.title ?? '')),
        createdAt: at,
        updatedAt: at,
      };
  const { map, ...fields } = outboundFields(
    input.redactor,
    content,
    extras,
    conversation.redactions,
  );
  if (map) conversation = { ...conversation, redactions: map };
  if (attachment) conversation = { ...conversation, untrusted: true };
  const message: Message = {
    id: input.newId(),
    conversationId: conversation.id,
    role: 'user',
    content,
    createdAt: at,
    status: 'complete',
    ...fields,
  };
  return { conversation, message };
}

/**
 * Edit-and-resend: the user message with new text, sent again with the original attachment
 * and every finding redacted (there is no preview for an edit). `map` is the conversation's
 * extended redaction map when redaction ran.
 */
export function composeEdit(
  redactor: Redactor | undefined,
  target: Message,
  content: string,
  conversation: Conversation,
): { edited: Message; map?: RedactionMap } {
  const { sent: _s, redactions: _r, ...kept } = target;
  const { map, ...fields } = outboundFields(redactor, content, kept, conversation.redactions);
  const edited: Message = { ...kept, content, ...fields };
  return map ? { edited, map } : { edited };
}
