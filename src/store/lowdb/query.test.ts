import { jsonCopy, plainCopy, sortAndPage } from './query.js';

/** A seeded generator, so a failure reproduces. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const VALUES = [undefined, null, 0, 3, 3, 10, 'a', 'b', 'B', 'b', true, false, { x: 1 }, ['a']];

describe('lowdb sortAndPage', () => {
  it('a small page of a large set selects the same records, in the same order, as sorting all of them', () => {
    const next = random(7);
    for (let round = 0; round < 300; round++) {
      const n = 20 + Math.floor(next() * 200);
      // Few distinct values, so many records tie on the field and are ordered by id.
      const records = Array.from({ length: n }, (_, i) => ({ id: `r${Math.floor(next() * 1e6)}-${i}`, v: VALUES[Math.floor(next() * VALUES.length)] }));
      const opts = { sortField: next() < 0.2 ? 'id' : 'v', sortDir: (next() < 0.5 ? 1 : -1) as 1 | -1, offset: Math.floor(next() * 6), limit: 1 + Math.floor(next() * 15) };
      const bySorting = sortAndPage([...records], { ...opts, offset: 0, limit: undefined }).slice(opts.offset, opts.offset + opts.limit);
      const selected = sortAndPage([...records], opts);
      expect(selected.map((r) => r.id)).toEqual(bySorting.map((r) => r.id));
    }
  });

  it('orders by the field in its direction, then by id ascending', () => {
    const records = [
      { id: 'c', v: 2 }, { id: 'a', v: 1 }, { id: 'b', v: 2 }, ...Array.from({ length: 40 }, (_, i) => ({ id: `z${i}`, v: 5 })),
    ];
    expect(sortAndPage(records, { sortField: 'v', sortDir: -1, offset: 0, limit: 3 }).map((r) => r.id)).toEqual(['z0', 'z1', 'z10']);
    expect(sortAndPage(records, { sortField: 'v', sortDir: 1, offset: 1, limit: 2 }).map((r) => r.id)).toEqual(['b', 'c']);
  });
});

describe('lowdb plainCopy', () => {
  it('copies a stored record as a JSON round trip does: equal, nothing shared, undefined fields dropped', () => {
    const record = { id: 'a', workspaceId: 'w', admins: [{ aadObjectId: 'x', name: 'X', role: 'owner' }], settings: { topics: ['health'], nested: { n: 1, b: false, z: null } }, gone: undefined };
    const copy = plainCopy(record);
    expect(copy).toEqual(jsonCopy(record));
    expect(Object.keys(copy)).toEqual(Object.keys(jsonCopy(record)));
    expect(copy.admins).not.toBe(record.admins);
    expect(copy.admins[0]).not.toBe(record.admins[0]);
    expect(copy.settings.nested).not.toBe(record.settings.nested);
    copy.admins[0].name = 'changed';
    expect(record.admins[0].name).toBe('X');
  });

  it('keeps an own "__proto__" key of parsed JSON a key, without touching the prototype of the copy', () => {
    const parsed = JSON.parse('{"id":"a","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = plainCopy(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(jsonCopy(parsed)));
  });
});
