/**
 * The selection prompts of the context menu: the built-in ones (Ask Nook, Explain,
 * Summarize, Translate) and the user's own (Options → Prompts, collection `prompts`),
 * whose template may hold `{{selection}}`. Platform-free.
 */

/** The placeholder a user prompt uses for the selected text. */
export const SELECTION_PLACEHOLDER = '{{selection}}';

/** One of the user's own prompts, stored encrypted. */
export interface UserPrompt {
  id: string;
  /** Shown in the context menu ("Rewrite politely"). */
  name: string;
  /** The instruction; `{{selection}}` marks where the selection is referred to. */
  template: string;
  createdAt: number;
}

/** Longest name the context menu shows well, and the longest template accepted. */
export const PROMPT_LIMITS = { name: 60, template: 4000 } as const;

/** Why a prompt was not saved, in plain words. */
export class PromptError extends Error {
  readonly code: 'missing-name' | 'missing-template' | 'too-long';
  constructor(code: PromptError['code']) {
    super(PROMPT_ERROR_MESSAGE[code]);
    this.name = 'PromptError';
    this.code = code;
  }
}

const PROMPT_ERROR_MESSAGE: Record<PromptError['code'], string> = {
  'missing-name': 'Give the prompt a name.',
  'missing-template': 'Write the prompt text.',
  'too-long': `Keep the name under ${PROMPT_LIMITS.name} and the text under ${PROMPT_LIMITS.template} characters.`,
};

/** Checks and trims a prompt before it is saved. */
export function cleanPrompt(input: { name: string; template: string }): {
  name: string;
  template: string;
} {
  const name = input.name.replace(/\s+/g, ' ').trim();
  const template = input.template.trim();
  if (!name) throw new PromptError('missing-name');
  if (!template) throw new PromptError('missing-template');
  if (name.length > PROMPT_LIMITS.name || template.length > PROMPT_LIMITS.template)
    throw new PromptError('too-long');
  return { name, template };
}

/** The built-in selection actions; the text is what the composer starts with. */
export const BUILTIN_PROMPTS = {
  ask: { title: 'Ask Nook', text: '' },
  explain: { title: 'Explain', text: 'Explain the selected text in simple words.' },
  summarize: { title: 'Summarize', text: 'Summarize the selected text in a few bullet points.' },
  translate: {
    title: 'Translate',
    text: 'Translate the selected text into English (or, if it is English, into my language).',
  },
} as const;
export type BuiltinPromptId = keyof typeof BUILTIN_PROMPTS;

/** The page actions ("Summarize this page", "Chat with this page"). */
export const PAGE_PROMPTS = {
  'summarize-page': { title: 'Summarize this page', text: 'Summarize this page.' },
  'chat-page': { title: 'Chat with this page', text: '' },
} as const;
export type PagePromptId = keyof typeof PAGE_PROMPTS;

/**
 * The composer text for a user prompt. The selection itself always travels as a separate,
 * quoted untrusted block; in the instruction `{{selection}}` becomes a reference to it, so
 * page text can never end up outside the quote (where it would read as the user's words).
 */
export function fillPrompt(template: string): string {
  return template.split(SELECTION_PLACEHOLDER).join('the selected text (quoted below)').trim();
}
