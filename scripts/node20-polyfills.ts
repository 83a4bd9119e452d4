/**
 * Vitest 5's reporters call `Map.groupBy` (Node >= 21). We run on Node 20, where a
 * failing test would otherwise crash the reporter instead of printing the failure.
 * Imported by the Vitest configs, which run in Vitest's main process.
 */
type GroupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K) => Map<K, T[]>;
const MapWithGroupBy = Map as unknown as { groupBy?: GroupBy };
if (typeof MapWithGroupBy.groupBy !== 'function') {
  MapWithGroupBy.groupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K) => {
    const out = new Map<K, T[]>();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const group = out.get(k);
      if (group) group.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}
const ObjectWithGroupBy = Object as unknown as {
  groupBy?: <T>(
    items: Iterable<T>,
    key: (item: T, index: number) => PropertyKey,
  ) => Record<PropertyKey, T[]>;
};
if (typeof ObjectWithGroupBy.groupBy !== 'function') {
  ObjectWithGroupBy.groupBy = (items, key) => {
    const out: Record<PropertyKey, unknown[]> = Object.create(null);
    let i = 0;
    for (const item of items) (out[key(item, i++)] ??= []).push(item);
    return out as never;
  };
}
export {};
