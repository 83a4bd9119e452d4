/**
 * One raw IndexedDB read-write transaction on a Dexie database's own connection, for bulk
 * writes that nobody observes through Dexie: the sync engine's rows (read by the sync leader
 * only) and records the sync bridge adds from the relay (other pages reload on the sync nudge,
 * and the leader must not hear its own writes back as local edits). It skips Dexie's
 * per-request machinery (promise zones, middleware, change events), which costs more than the
 * requests themselves when a first sync writes 10,000 rows. Rows are stored as given.
 */
import type { Dexie } from 'dexie';

/**
 * Runs `fill` (which issues requests on the transaction, synchronously) and resolves when the
 * transaction commits. A failed request aborts it: nothing is written, and the promise
 * rejects with that request's error (e.g. a `ConstraintError` from `add`).
 */
export async function rawWrite(
  db: Dexie,
  stores: readonly string[],
  fill: (tx: IDBTransaction) => void,
): Promise<void> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction([...stores], 'readwrite');
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The write was aborted.', 'AbortError'));
    try {
      fill(tx);
    } catch (error) {
      reject(error);
      tx.abort();
    }
  });
}
