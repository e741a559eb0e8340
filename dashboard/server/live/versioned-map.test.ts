import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sequence, sameItem, VersionedMap } from './versioned-map.ts';

const item = (id: string, v: number, tags: string[] = []) => ({ id, v, tags });

function twoItems() {
  const seq = new Sequence();
  const m = new VersionedMap<ReturnType<typeof item>>(seq);
  m.init('a', item('a', 0));
  m.init('b', item('b', 0));
  return { seq, m };
}

describe('sameItem', () => {
  it('compares fields and string arrays element by element', () => {
    expect(sameItem(item('a', 1, ['x']), item('a', 1, ['x']))).toBe(true);
    expect(sameItem(item('a', 1, ['x']), item('a', 1, ['y']))).toBe(false);
    expect(sameItem(item('a', 1), item('a', 2))).toBe(false);
    expect(sameItem({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});

describe('VersionedMap', () => {
  it('stamps a changed item with the next sequence number', () => {
    const { seq, m } = twoItems();
    expect(m.put('a', item('a', 1))).toBe(true);
    expect(seq.current).toBe(1);
    expect(m.changedSince(0, new Set(['a', 'b']))).toEqual([item('a', 1)]);
  });

  it('ignores an item equal to the current one', () => {
    const { seq, m } = twoItems();
    m.put('a', item('a', 1));
    expect(m.put('a', item('a', 1))).toBe(false);
    expect(seq.current).toBe(1);
    expect(m.changedSince(1, new Set(['a']))).toBeUndefined();
  });

  it('reports only changes inside the watched ids, scanning either side', () => {
    const { m } = twoItems();
    m.put('a', item('a', 1));
    m.put('b', item('b', 1));
    expect(m.changedSince(0, new Set(['b']))).toEqual([item('b', 1)]);
    expect(m.changedSince(0, new Set(['b', 'c', 'd']))).toEqual([item('b', 1)]);
    expect(m.changedSince(1, new Set(['a']))).toBeUndefined();
  });

  it('picks the watched items, or all of them', () => {
    const { m } = twoItems();
    expect(m.pick(new Set(['b', 'missing']))).toEqual([item('b', 0)]);
    expect(m.pick(undefined).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('shares one sequence between maps, so one number orders every change', () => {
    const seq = new Sequence();
    const x = new VersionedMap<{ id: string; v: number }>(seq);
    const y = new VersionedMap<{ id: string; v: number }>(seq);
    x.put('a', { id: 'a', v: 1 });
    y.put('b', { id: 'b', v: 1 });
    expect(x.changedSince(1, new Set(['a']))).toBeUndefined();
    expect(y.changedSince(1, new Set(['b']))).toEqual([{ id: 'b', v: 1 }]);
  });

  it('sends an item changed twice since a seq once, with its latest value', () => {
    const { m } = twoItems();
    m.put('a', item('a', 1));
    m.put('a', item('a', 2));
    expect(m.changedSince(0, new Set(['a', 'b']))).toEqual([item('a', 2)]);
  });

  it('finds the same changes from its log as a scan of every item would, across log compactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 300,
        }),
        fc.nat(),
        fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
        (puts, since, view) => {
          const seq = new Sequence();
          const m = new VersionedMap<ReturnType<typeof item>>(seq);
          const stamped = new Map<string, { v: number; seq: number }>();
          for (const [k, v] of puts) {
            const id = `i${k}`;
            if (m.put(id, item(id, v))) stamped.set(id, { v, seq: seq.current });
          }
          const sinceSeq = since % (seq.current + 1);
          const keep = new Set(view.map((k) => `i${k}`));
          const expected = [...stamped]
            .filter(([id, s]) => s.seq > sinceSeq && keep.has(id))
            .map(([id, s]) => item(id, s.v));
          const got = m.changedSince(sinceSeq, keep) ?? [];
          const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
          expect([...got].sort(byId)).toEqual(expected.sort(byId));
        },
      ),
    );
  });
});
