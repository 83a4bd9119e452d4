/** Fixtures shared by the record-repo tests (not a test file). */
import type { Message } from '../../core/models';
import { createMemoryRecordTable, type RecordTable } from './record-table';

/** A user message of conversation `c1`. */
export const testMessage = (id: string, content: string, createdAt = 1): Message => ({
  id,
  conversationId: 'c1',
  role: 'user',
  content,
  createdAt,
});

/** A table that counts its reads and writes, single and bulk. */
export function countingTable(inner: RecordTable = createMemoryRecordTable()) {
  const calls = { get: 0, getMany: 0, put: 0, putMany: 0, addMany: 0 };
  const table: RecordTable = {
    ...inner,
    get(id) {
      calls.get += 1;
      return inner.get(id);
    },
    getMany(ids) {
      calls.getMany += 1;
      return inner.getMany(ids);
    },
    put(row) {
      calls.put += 1;
      return inner.put(row);
    },
    putMany(rows) {
      calls.putMany += 1;
      return inner.putMany(rows);
    },
    addMany(rows) {
      calls.addMany += 1;
      return inner.addMany(rows);
    },
  };
  return { table, calls };
}
