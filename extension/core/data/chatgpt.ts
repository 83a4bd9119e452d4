/**
 * Reads a ChatGPT data export (`conversations.json`): an array of conversations, each a
 * `mapping` tree of nodes `{ id, parent, children, message }` whose `message` has
 * `author.role`, `content.parts` and `create_time` (seconds). The conversation shown in
 * ChatGPT is the path from the root to `current_node`; other branches (regenerated
 * answers) are left out. Ids are derived from ChatGPT's own, so a second import of the
 * same file changes nothing.
 */
import { EXPORT_KIND, EXPORT_SCHEMA_VERSION, type NookExport } from '../../../shared/export/schema';
import { DataError } from './errors';
import { checkExport } from './parse-export';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const seconds = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : undefined;

/** True when a parsed JSON value looks like ChatGPT's conversations.json. */
export function isChatGptExport(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && isObj(value[0]) && isObj(value[0].mapping);
}

/** The text of a message's content: text parts joined; images and files as a short note. */
function contentText(content: unknown): string {
  if (!isObj(content)) return '';
  if (typeof content.text === 'string') return content.text; // content_type "code"
  const parts = Array.isArray(content.parts) ? content.parts : [];
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (isObj(p) && typeof p.text === 'string') return p.text;
      if (isObj(p) && str(p.content_type)?.includes('image')) return '[image not imported]';
      return '';
    })
    .filter((s) => s !== '')
    .join('\n\n');
}

/** The node path root → current_node (cycle-safe). */
function activePath(mapping: Obj, current: string | undefined): Obj[] {
  const ids = Object.keys(mapping);
  let id = current && isObj(mapping[current]) ? current : ids[ids.length - 1];
  const path: Obj[] = [];
  const seen = new Set<string>();
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const node = mapping[id];
    if (!isObj(node)) break;
    path.push(node);
    id = str(node.parent);
  }
  return path.reverse();
}

/** Converts conversations.json into a Nook export holding conversations and messages only. */
export function fromChatGpt(value: unknown, now: number): NookExport {
  if (!isChatGptExport(value)) throw new DataError('wrong-kind');
  const data: NookExport = {
    kind: EXPORT_KIND,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: now,
    conversations: [],
    messages: [],
    memory: [],
    personas: [],
    usage: [],
    providers: [],
    settings: null,
  };
  value.forEach((raw, index) => {
    if (!isObj(raw) || !isObj(raw.mapping))
      throw new DataError('invalid', `conversation ${index + 1}`);
    const sourceId =
      str(raw.conversation_id) ?? str(raw.id) ?? `${seconds(raw.create_time) ?? 0}-${index}`;
    const conversationId = `chatgpt-${sourceId}`;
    const createdAt = seconds(raw.create_time) ?? now;
    let last = createdAt;
    for (const node of activePath(raw.mapping, str(raw.current_node))) {
      const msg = node.message;
      if (!isObj(msg)) continue;
      const role = isObj(msg.author) ? str(msg.author.role) : undefined;
      if (role !== 'user' && role !== 'assistant') continue; // system/tool turns are ChatGPT's plumbing
      const content = contentText(msg.content);
      if (!content.trim()) continue;
      const at = Math.max(seconds(msg.create_time) ?? last, last);
      last = at;
      const model = isObj(msg.metadata) ? str(msg.metadata.model_slug) : undefined;
      data.messages.push({
        id: `chatgpt-${str(msg.id) ?? str(node.id) ?? `${sourceId}-${data.messages.length}`}`,
        conversationId,
        role,
        content,
        createdAt: at,
        status: 'complete',
        ...(model && role === 'assistant' ? { model } : {}),
      });
    }
    data.conversations.push({
      id: conversationId,
      title: str(raw.title)?.trim() || 'Imported from ChatGPT',
      createdAt,
      updatedAt: Math.max(seconds(raw.update_time) ?? createdAt, last),
    });
  });
  return checkExport(data);
}
