/**
 * The Markdown export: one `.md` file per conversation (readable in any editor or notes app)
 * plus `nook-data.json` with memory, personas, usage, providers (never keys) and settings.
 * Each message starts with an HTML comment carrying its fields and exact length, which
 * Markdown renderers hide and which lets Nook read the zip back without loss.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { NookExport } from '../../../shared/export/schema';
import { DataError, MAX_IMPORT_BYTES } from './errors';
import { checkExport, parseJsonStrict } from './parse-export';

export const ZIP_DATA_FILE = 'nook-data.json';
const MARKER = '<!-- nook:message ';
const FRONT = 'nook: ';

type ExportMessage = NookExport['messages'][number];
type ExportConversation = NookExport['conversations'][number];

const ROLE_LABEL: Record<ExportMessage['role'], string> = {
  user: 'You',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

function slug(title: string): string {
  const s = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'conversation';
}

/** `--` would end the HTML comment early; JSON escapes it so the comment stays closed. */
const commentJson = (v: unknown) => JSON.stringify(v).replace(/--/g, '-\\u002d');

/** One conversation as Markdown. */
export function conversationToMarkdown(c: ExportConversation, messages: ExportMessage[]): string {
  const parts = [`---\n${FRONT}${commentJson(c)}\n---\n\n# ${c.title.replace(/\n/g, ' ')}\n`];
  for (const m of messages) {
    const { content, ...fields } = m;
    const when = new Date(m.createdAt).toISOString().replace('T', ' ').slice(0, 16);
    parts.push(
      `\n${MARKER}${commentJson({ ...fields, length: content.length })} -->\n` +
        `### ${ROLE_LABEL[m.role]} · ${when} UTC\n\n${content}\n`,
    );
  }
  return parts.join('');
}

/** Parses one conversation file written by {@link conversationToMarkdown}. */
export function markdownToConversation(text: string): {
  conversation: unknown;
  messages: unknown[];
} {
  const end = text.indexOf('\n---\n');
  if (!text.startsWith(`---\n${FRONT}`) || end < 0) throw new DataError('invalid', 'front matter');
  const conversation = parseJsonStrict(text.slice(4 + FRONT.length, end));
  const messages: unknown[] = [];
  let at = text.indexOf(`\n${MARKER}`, end);
  while (at >= 0) {
    const jsonStart = at + 1 + MARKER.length;
    const close = text.indexOf(' -->\n', jsonStart);
    if (close < 0) throw new DataError('invalid', 'message marker');
    const meta = parseJsonStrict(text.slice(jsonStart, close));
    if (typeof meta !== 'object' || meta === null || !('length' in meta)) {
      throw new DataError('invalid', 'message marker');
    }
    const { length, ...fields } = meta as Record<string, unknown>;
    const heading = text.indexOf('\n\n', close + 5);
    if (typeof length !== 'number' || heading < 0) throw new DataError('invalid', 'message');
    const start = heading + 2;
    const content = text.slice(start, start + length);
    if (content.length !== length) throw new DataError('invalid', 'truncated message');
    messages.push({ ...fields, content });
    at = text.indexOf(`\n${MARKER}`, start + length);
  }
  return { conversation, messages };
}

/** Builds the zip. `onFile` reports progress per conversation. */
export function exportToMarkdownZip(
  data: NookExport,
  onFile?: (done: number, total: number) => void,
): Uint8Array {
  const byConversation = new Map<string, ExportMessage[]>();
  for (const m of data.messages) {
    const list = byConversation.get(m.conversationId) ?? [];
    list.push(m);
    byConversation.set(m.conversationId, list);
  }
  const files: Zippable = {};
  const rest: NookExport = { ...data, conversations: [], messages: [] };
  files[ZIP_DATA_FILE] = strToU8(JSON.stringify(rest, null, 2));
  files['README.md'] = strToU8(
    `# Nook export\n\nOne Markdown file per conversation in \`conversations/\`; memory, personas, usage and settings in \`${ZIP_DATA_FILE}\`. API keys are never in this file.\n`,
  );
  const used = new Set<string>();
  data.conversations.forEach((c, i) => {
    const day = new Date(c.createdAt).toISOString().slice(0, 10);
    let name = `conversations/${day}-${slug(c.title)}.md`;
    for (let n = 2; used.has(name); n++) name = `conversations/${day}-${slug(c.title)}-${n}.md`;
    used.add(name);
    files[name] = strToU8(conversationToMarkdown(c, byConversation.get(c.id) ?? []));
    onFile?.(i + 1, data.conversations.length);
  });
  return zipSync(files, { level: 6, mtime: new Date(data.exportedAt) });
}

/** Reads a zip made by {@link exportToMarkdownZip} back into a checked export. */
export function parseMarkdownZip(bytes: Uint8Array): NookExport {
  let entries: Record<string, Uint8Array>;
  let declared = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        const wanted = f.name === ZIP_DATA_FILE || /^conversations\/[^/]+\.md$/.test(f.name);
        if (wanted) declared += f.originalSize;
        if (declared > MAX_IMPORT_BYTES * 2) throw new DataError('too-large');
        return wanted;
      },
    });
  } catch (cause) {
    if (cause instanceof DataError) throw cause;
    throw new DataError('bad-zip', undefined, { cause });
  }
  const dataFile = entries[ZIP_DATA_FILE];
  if (!dataFile) throw new DataError('wrong-kind');
  const base = parseJsonStrict(strFromU8(dataFile));
  if (typeof base !== 'object' || base === null) throw new DataError('wrong-kind');
  const conversations: unknown[] = [];
  const messages: unknown[] = [];
  for (const name of Object.keys(entries).sort()) {
    if (name === ZIP_DATA_FILE) continue;
    const parsed = markdownToConversation(strFromU8(entries[name] as Uint8Array));
    conversations.push(parsed.conversation);
    messages.push(...parsed.messages);
  }
  return checkExport({ ...base, conversations, messages });
}
