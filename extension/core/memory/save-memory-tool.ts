/**
 * The `save_memory` tool: the model keeps a short fact about the user. Approval 'auto' —
 * it runs at once and the chat shows "Remembered: …" with Undo — except once untrusted page
 * content is in the conversation, where the tool gate makes it wait for the user's click.
 */
import type { ChatTool, ToolOutcome } from '../tools/types';
import { MEMORY_TEXT_MAX, MemoryError } from './memory-store';
import type { MemoryStore } from './types';

/** The tool's name as the model sees it. */
export const SAVE_MEMORY_TOOL = 'save_memory';

/** What the "Remembered" card needs (`ToolOutcome.display`). */
export interface SaveMemoryDisplay {
  entryId: string;
  text: string;
}

/** Reads `display` back from a stored outcome (it was JSON on disk). */
export function saveMemoryDisplay(outcome: ToolOutcome): SaveMemoryDisplay | undefined {
  const d = outcome.display;
  if (d && typeof d.entryId === 'string' && typeof d.text === 'string') {
    return { entryId: d.entryId, text: d.text };
  }
  return undefined;
}

/** Creates `save_memory` over the memory store. */
export function createSaveMemoryTool(memory: MemoryStore): ChatTool {
  return {
    approval: 'auto',
    spec: {
      name: SAVE_MEMORY_TOOL,
      description:
        'Remember one short, lasting fact about the user (a preference, their name, their ' +
        'job, a project) for future conversations. Only call it when the user states such a ' +
        'fact or asks you to remember something. Never store secrets, passwords or keys.',
      parameters: {
        type: 'object',
        properties: {
          text: {
            type: 'string',
            description: `The fact, as one short sentence (at most ${MEMORY_TEXT_MAX} characters).`,
          },
        },
        required: ['text'],
      },
    },
    async run(args, ctx): Promise<ToolOutcome> {
      const text = typeof args.text === 'string' ? args.text : '';
      try {
        const entry = await memory.add({
          text,
          conversationId: ctx.conversationId,
          source: 'model',
        });
        const display: SaveMemoryDisplay = { entryId: entry.id, text: entry.text };
        return { content: `Saved to memory: ${entry.text}`, display: { ...display } };
      } catch (e) {
        if (e instanceof MemoryError) return { content: e.message, isError: true };
        throw e;
      }
    },
  };
}
