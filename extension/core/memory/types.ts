/**
 * Long-term memory: short facts the assistant keeps about the user across conversations.
 * Each entry is one encrypted record of the `memory` collection (table `memory`).
 */
export interface MemoryEntry {
  id: string;
  /** The remembered fact, in the user's language ("Prefers metric units"). */
  text: string;
  createdAt: number;
  updatedAt: number;
  /** The conversation it came from (Options → Memory links to it), if any. */
  conversationId?: string;
  /** Who wrote it: the model through `save_memory`, or the user in Options → Memory. */
  source: 'model' | 'user';
}

/** The memory store over the encrypted repo (core/memory/memory-store.ts implements it). */
export interface MemoryStore {
  list(): Promise<MemoryEntry[]>;
  add(entry: {
    text: string;
    conversationId?: string;
    source: MemoryEntry['source'];
  }): Promise<MemoryEntry>;
  update(id: string, text: string): Promise<MemoryEntry>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
  /** Notifies on every change (for the options page and the chat's "Remembered" notice). */
  subscribe(listener: () => void): () => void;
}
