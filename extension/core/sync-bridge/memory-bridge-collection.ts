/** In-memory {@link BridgeCollection} for tests: a repo with revisions and tombstones. */
import type { BridgeCollection, LocalRow, MarkStore } from './bridge';
import type { MirrorStamps } from './mirror-stamps';

/** A fake collection; `values` and `damaged` let tests inspect and break records. */
export function createMemoryBridgeCollection(name: string) {
  const rows = new Map<string, LocalRow & { value: unknown }>();
  const damaged = new Set<string>();
  /** Size of every `writeMany` call, so tests can see writes were batched. */
  const writes: number[] = [];
  const collection: BridgeCollection & {
    values(): Record<string, unknown>;
    writes: number[];
    damaged: Set<string>;
    rev(id: string): number | undefined;
  } = {
    name,
    damaged,
    writes,
    rows: async () => [...rows.values()].map(({ id, rev, deleted }) => ({ id, rev, deleted })),
    async row(id) {
      const r = rows.get(id);
      return r === undefined ? undefined : { id: r.id, rev: r.rev, deleted: r.deleted };
    },
    async rowsOf(ids) {
      return Promise.all(ids.map((id) => collection.row(id)));
    },
    async readMany(ids) {
      return Promise.all(
        ids.map((id) =>
          collection.read(id).then(
            (value) => ({ ok: true as const, value }),
            () => ({ ok: false as const }),
          ),
        ),
      );
    },
    async read(id) {
      const row = rows.get(id);
      if (row === undefined || row.deleted) throw new Error('not-found');
      if (damaged.has(id)) throw new Error('decrypt-failed');
      return structuredClone(row.value);
    },
    async write(id, value) {
      const rev = (rows.get(id)?.rev ?? 0) + 1;
      rows.set(id, { id, rev, deleted: false, value: structuredClone(value) });
      return rev;
    },
    async writeMany(entries) {
      const revs: number[] = [];
      for (const e of entries) revs.push(await collection.write(e.id, e.value));
      writes.push(entries.length);
      return revs;
    },
    async addMany(entries) {
      // All or nothing, like the Dexie repo's bulkAdd in one transaction.
      if (entries.some((e) => rows.has(e.id))) throw new Error('exists');
      writes.push(entries.length);
      return entries.map((e) => {
        rows.set(e.id, { id: e.id, rev: 1, deleted: false, value: structuredClone(e.value) });
        return 1;
      });
    },
    async remove(id) {
      const row = rows.get(id);
      if (row === undefined || row.deleted) return undefined;
      rows.set(id, { id, rev: row.rev + 1, deleted: true, value: undefined });
      return row.rev + 1;
    },
    values: () =>
      Object.fromEntries(
        [...rows.values()].filter((r) => !r.deleted).map((r) => [r.id, r.value] as const),
      ),
    rev: (id) => rows.get(id)?.rev,
  };
  return collection;
}

/** In-memory {@link MarkStore}; `stampSaves` counts saves of the stamps. */
export function createMemoryMarkStore(): MarkStore & {
  stamps(): MirrorStamps;
  stampSaves: number;
  saves: number;
} {
  let marks: Record<string, number> = {};
  let stamps: MirrorStamps = {};
  const store = {
    stampSaves: 0,
    saves: 0,
    load: async () => ({ ...marks }),
    save: async (m: Record<string, number>) => {
      marks = { ...m };
      store.saves += 1;
    },
    loadStamps: async () => ({ ...stamps }),
    saveStamps: async (s: MirrorStamps) => {
      stamps = { ...s };
      store.stampSaves += 1;
    },
    stamps: () => ({ ...stamps }),
  };
  return store;
}
