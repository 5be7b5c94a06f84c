/** In-memory evaluation of the port's queries, reproducing MongoDB's semantics (see port.ts). */
import type { FilterEntry, CheckedFindOptions } from '../validate.js';

type Row = Record<string, unknown>;

export function matches(record: object, filter: FilterEntry[]): boolean {
  const row = record as Row;
  for (const [field, expected] of filter) {
    const actual = row[field];
    if (expected === null) {
      if (actual !== null && actual !== undefined && !(Array.isArray(actual) && actual.includes(null))) return false;
    } else if (Array.isArray(actual)) {
      if (!actual.includes(expected)) return false;
    } else if (actual !== expected) {
      return false;
    }
  }
  return true;
}

/** MongoDB's cross-type order for the types we store: null/missing < numbers < strings < objects < booleans. */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'number': return 1;
    case 'string': return 2;
    case 'boolean': return 4;
    default: return 3;
  }
}

function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1 || ra === 2 || ra === 4) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  return 0;
}

/** Sorts (by the field, then id ascending) and pages; returns the selected records, not copies. */
export function sortAndPage<T extends object>(records: T[], opts: CheckedFindOptions): T[] {
  if (opts.limit === 0) return [];
  const { sortField, sortDir } = opts;
  const compare = (a: T, b: T) => {
    const byField = compareValues((a as Row)[sortField], (b as Row)[sortField]) * sortDir;
    if (byField !== 0 || sortField === 'id') return byField;
    return compareValues((a as Row).id, (b as Row).id);
  };
  const end = opts.limit === undefined ? undefined : opts.offset + opts.limit;
  // A first page of a large set (a card's 15 of 200 rows, every turn) only needs the first `end`: select them.
  if (end !== undefined && end * 4 < records.length) return firstInOrder(records, end, compare).slice(opts.offset);
  records.sort(compare);
  return records.slice(opts.offset, end);
}

/** The first `k` records in `compare` order, as a stable sort would give them (equal records keep input order). */
function firstInOrder<T>(records: T[], k: number, compare: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  for (const record of records) {
    if (top.length === k && compare(record, top[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(record, top[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    top.splice(lo, 0, record);
    if (top.length > k) top.pop();
  }
  return top;
}

/** A copy as it would come back from the JSON file: undefined fields dropped, no shared references. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The same copy of a value that is already plain JSON (a stored record: parsed from the file or stored as a
 * jsonCopy), about ten times faster than a JSON round trip: reads copy what they return on every turn.
 */
export function plainCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    // An own "__proto__" key (JSON.parse makes one) stays a key, as in a JSON round trip; assigning it would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: plainCopy(v), enumerable: true, writable: true, configurable: true });
    else out[key] = plainCopy(v);
  }
  return out as T;
}
