import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeHlc } from './hlc';
import { mergeFields, mergeRecord, type MergeInput } from './merge';
import type { BodyDoc, FieldsDoc } from './sync-doc';

const stamp = (wall: number, node = 'n') => serializeHlc({ wall, counter: 0, node });
const fields = (f: Record<string, [string, number]>): FieldsDoc => ({
  v: 1,
  kind: 'fields',
  fields: Object.fromEntries(
    Object.entries(f).map(([k, [value, wall]]) => [k, { value, hlc: stamp(wall) }]),
  ),
});
const body = (b: string, wall: number, node = 'n'): BodyDoc => ({
  v: 1,
  kind: 'body',
  body: b,
  hlc: stamp(wall, node),
});
const input = (o: Partial<MergeInput> & Pick<MergeInput, 'policy' | 'local' | 'remote'>) => ({
  collection: 'c',
  id: 'r1',
  newId: () => 'copy1',
  ...o,
});

const fieldsDoc: fc.Arbitrary<FieldsDoc> = fc
  .dictionary(
    fc.constantFrom('a', 'b', 'c'),
    fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 3 }), fc.constantFrom('p', 'q')),
  )
  .map((d) => ({
    v: 1 as const,
    kind: 'fields' as const,
    fields: Object.fromEntries(
      Object.entries(d).map(([k, [value, wall, node]]) => [k, { value, hlc: stamp(wall, node) }]),
    ),
  }));

describe('merge rules', () => {
  it('lww: per field, the later stamp wins', () => {
    const out = mergeFields(
      fields({ title: ['old', 1], model: ['mine', 5] }),
      fields({ title: ['new', 2], model: ['theirs', 3] }),
    );
    expect(out.fields.title?.value).toBe('new');
    expect(out.fields.model?.value).toBe('mine');
  });

  it('lww merge is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(fieldsDoc, fieldsDoc, fieldsDoc, (a, b, c) => {
        expect(mergeFields(a, b)).toEqual(mergeFields(b, a));
        expect(mergeFields(mergeFields(a, b), c)).toEqual(mergeFields(a, mergeFields(b, c)));
        expect(mergeFields(a, a)).toEqual(a);
      }),
    );
  });

  it('lww: dirty only when the merge holds something the server lacks', () => {
    const remote = fields({ title: ['new', 2] });
    const ahead = mergeRecord(
      input({
        policy: 'lww',
        local: { doc: fields({ title: ['old', 1], model: ['m', 1] }), deleted: false, dirty: true },
        remote: { doc: remote, deleted: false },
      }),
    );
    expect(ahead.dirty).toBe(true);
    const behind = mergeRecord(
      input({
        policy: 'lww',
        local: { doc: fields({ title: ['old', 1] }), deleted: false, dirty: false },
        remote: { doc: remote, deleted: false },
      }),
    );
    expect(behind).toMatchObject({ doc: remote, dirty: false });
  });

  it('immutable: the first version is kept and the rewrite reported, from either side', () => {
    const first = body('first', 1);
    const second = body('second', 2);
    for (const [l, r] of [
      [first, second],
      [second, first],
    ] as const) {
      const out = mergeRecord(
        input({
          policy: 'immutable',
          local: { doc: l, deleted: false, dirty: true },
          remote: { doc: r, deleted: false },
        }),
      );
      expect(out.doc).toEqual(first);
      expect(out.dirty).toBe(r !== first);
      expect(out.conflicts).toEqual([{ kind: 'immutable-rewrite', collection: 'c', id: 'r1' }]);
    }
  });

  it('keep-both: concurrent edits keep both, the later one keeps the id', () => {
    const out = mergeRecord(
      input({
        policy: 'keep-both',
        local: { doc: body('mine', 5), deleted: false, dirty: true },
        remote: { doc: body('theirs', 3), deleted: false },
      }),
    );
    expect(out.doc).toMatchObject({ body: 'mine' });
    expect(out.dirty).toBe(true);
    expect(out.copies).toEqual([{ id: 'copy1', doc: { ...body('theirs', 3), conflictOf: 'r1' } }]);
    const lose = mergeRecord(
      input({
        policy: 'keep-both',
        local: { doc: body('mine', 1), deleted: false, dirty: true },
        remote: { doc: body('theirs', 3), deleted: false },
      }),
    );
    expect(lose).toMatchObject({ doc: { body: 'theirs' }, dirty: false });
    expect(lose.copies[0]?.doc).toMatchObject({ body: 'mine', conflictOf: 'r1' });
  });

  it('keep-both: a clean local copy just takes the remote edit', () => {
    const out = mergeRecord(
      input({
        policy: 'keep-both',
        local: { doc: body('old', 1), deleted: false, dirty: false },
        remote: { doc: body('new', 2), deleted: false },
      }),
    );
    expect(out).toMatchObject({ doc: { body: 'new' }, dirty: false, copies: [] });
  });

  it('delete: a remote tombstone wins over unsynced edits and reports them', () => {
    const out = mergeRecord(
      input({
        policy: 'lww',
        local: { doc: fields({ a: ['x', 9] }), deleted: false, dirty: true },
        remote: { doc: undefined, deleted: true },
      }),
    );
    expect(out).toMatchObject({ doc: undefined, deleted: true, dirty: false });
    expect(out.conflicts[0]?.kind).toBe('edit-lost-to-delete');
  });

  it('delete: a local tombstone wins over a newer remote edit and must be pushed', () => {
    const out = mergeRecord(
      input({
        policy: 'keep-both',
        local: { doc: undefined, deleted: true, dirty: true },
        remote: { doc: body('newer', 99), deleted: false },
      }),
    );
    expect(out).toMatchObject({ deleted: true, dirty: true, doc: undefined });
  });
});
