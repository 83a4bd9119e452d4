/**
 * Which synced records a Dexie write touched, from the parts `Dexie.on.storagemutated`
 * reports (in this page, and relayed from the other pages of the extension). Dexie names
 * the primary keys of a table under `idb://<db>/<table>/` as an interval tree: single keys
 * are nodes with `from === to`; a range (a `clear()`, or a bulk write of 50+ rows, which
 * Dexie reports as the whole table) means "unknown which", and the bridge rescans the table.
 */
import type { RepoChange } from '../../core/sync-bridge/ports';

/** More ids than this in one report count as "the whole table". */
const MAX_IDS = 5_000;

interface TreeNode {
  from?: unknown;
  to?: unknown;
  l?: TreeNode | null;
  r?: TreeNode | null;
}

/** The single string keys of an interval tree, or undefined when it holds any range. */
function keysOf(tree: unknown): string[] | undefined {
  const ids: string[] = [];
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (typeof node !== 'object') return undefined;
    const n = node as TreeNode;
    if (n.from === undefined && n.to === undefined) continue; // the empty tree
    if (typeof n.from !== 'string' || n.from !== n.to) return undefined;
    ids.push(n.from);
    if (ids.length > MAX_IDS) return undefined;
    stack.push(n.l, n.r);
  }
  return ids;
}

/** The changes to `tables` of database `dbName` in one storagemutated report. */
export function repoChanges(
  dbName: string,
  tables: ReadonlySet<string>,
  parts: Record<string, unknown>,
): RepoChange[] {
  const prefix = `idb://${dbName}/`;
  const touched = new Set<string>();
  for (const part of Object.keys(parts)) {
    if (!part.startsWith(prefix)) continue;
    const table = part.slice(prefix.length).split('/')[0];
    if (table !== undefined && tables.has(table)) touched.add(table);
  }
  return [...touched].map((collection) => {
    const pk = parts[`${prefix}${collection}/`];
    return { collection, ids: pk === undefined ? undefined : keysOf(pk) };
  });
}
