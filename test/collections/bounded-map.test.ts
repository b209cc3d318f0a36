import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../scripts/lib/collections/bounded-map.ts';

describe('BoundedMap', () => {
  it('keeps the most recently used entries, a read counting as a use', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1);
    m.set('c', 3);
    expect([m.get('a'), m.get('b'), m.get('c'), m.size]).toEqual([1, undefined, 3, 2]);
  });

  it('behaves as a map of the last `capacity` keys used, over any sequence of reads and writes', () => {
    const op = fc.record({ write: fc.boolean(), key: fc.integer({ min: 0, max: 6 }), value: fc.integer() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const m = new BoundedMap<number, number>(capacity);
        // The model: every value ever written, and the order keys were last used in.
        const values = new Map<number, number>();
        let recent: number[] = [];
        const use = (k: number) => (recent = [...recent.filter((x) => x !== k), k].slice(-capacity));
        for (const { write, key, value } of ops) {
          if (write) {
            m.set(key, value);
            values.set(key, value);
            use(key);
          } else {
            const expected = recent.includes(key) ? values.get(key) : undefined;
            expect(m.get(key)).toBe(expected);
            if (expected !== undefined) use(key);
          }
        }
        expect(m.size).toBe(recent.length);
      }),
    );
  });
});
