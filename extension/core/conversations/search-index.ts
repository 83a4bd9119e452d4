/**
 * Full-text search over decrypted titles and messages, held in memory only and rebuilt
 * after each unlock (the database holds ciphertext, so it cannot be searched).
 */

const normalize = (s: string) => s.normalize('NFKC').toLowerCase();

/** Creates an empty in-memory index of conversations. */
export function createSearchIndex() {
  const docs = new Map<string, { title: string; messages: Map<string, string> }>();

  const doc = (conversationId: string) => {
    let d = docs.get(conversationId);
    if (!d) {
      d = { title: '', messages: new Map() };
      docs.set(conversationId, d);
    }
    return d;
  };

  return {
    setTitle(conversationId: string, title: string): void {
      doc(conversationId).title = normalize(title);
    },
    addMessage(conversationId: string, messageId: string, text: string): void {
      doc(conversationId).messages.set(messageId, normalize(text));
    },
    removeConversation(conversationId: string): void {
      docs.delete(conversationId);
    },
    /**
     * Conversation ids whose title or messages contain every word of `query`
     * (case-insensitive substring match, so partial words and ids match too).
     */
    search(query: string): Set<string> {
      const terms = normalize(query).split(/\s+/).filter(Boolean);
      const hits = new Set<string>();
      for (const [id, d] of docs) {
        const haystacks = [d.title, ...d.messages.values()];
        if (terms.every((t) => haystacks.some((h) => h.includes(t)))) hits.add(id);
      }
      return hits;
    },
    clear(): void {
      docs.clear();
    },
  };
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;
