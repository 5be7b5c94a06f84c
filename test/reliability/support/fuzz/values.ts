import type { Rng } from './rng.js';

/** What kind of hostile value a field got (reported per class). */
export type HostileKind = 'wrongType' | 'operator' | 'prototype' | 'huge' | 'oversize' | 'markup' | 'missing';

/** Over the body limit (256 KB): restify must refuse the request itself. */
export const ONE_MB = 1024 * 1024;
/** Under the body limit, so the string reaches the handlers. */
export const LARGE = 120 * 1024;

/** Parsed from JSON, so `__proto__` is an own key that JSON.stringify sends, as an attacker's body would carry it. */
const fromJson = (text: string): unknown => JSON.parse(text);

const WRONG_TYPES: (() => unknown)[] = [
  () => 0, () => -1, () => 1e308, () => 3.5, () => true, () => false, () => null, () => [], () => ['a', 'b'], () => [[[]]],
  () => ({}), () => ({ id: 'x' }), () => ({ toString: 'x', valueOf: 1 }), () => [{ $ne: null }],
];

const OPERATORS: (() => unknown)[] = [
  () => ({ $ne: null }), () => ({ $gt: '' }), () => ({ $where: 'sleep(5000) || true' }), () => ({ $regex: '.*' }),
  () => ({ $in: ['a', 'b'] }), () => ({ $exists: true }), () => ({ $expr: { $eq: [1, 1] } }), () => ({ $or: [{}, { a: 1 }] }),
  () => '$where', () => '{"$ne":null}', () => '$gt', () => ({ $nin: [] }),
];

const PROTOTYPE: (() => unknown)[] = [
  () => fromJson('{"__proto__":{"polluted":"yes","isAdmin":true}}'),
  () => fromJson('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  () => '__proto__', () => 'constructor.prototype', () => 'constructor', () => 'prototype', () => '__proto__.polluted',
  () => fromJson('{"__proto__":{"__proto__":{"polluted":"deep"}}}'),
];

const MARKUP: (() => unknown)[] = [
  () => '${$root}', () => '${jsonStringify($root)}', () => '<at>Adele</at>', () => '\u0000\u0001\u202e', () => '../../etc/passwd',
  () => 'javascript:alert(1)', () => '"}]}', () => '%00', () => ' ', () => '', () => '🧨'.repeat(300), () => 'a'.repeat(513),
];

/** A hostile value of the given kind (`missing` is undefined: the caller leaves the field out). */
export function hostileValue(rng: Rng, kind: HostileKind): unknown {
  switch (kind) {
    case 'wrongType': return rng.pick(WRONG_TYPES)();
    case 'operator': return rng.pick(OPERATORS)();
    case 'prototype': return rng.pick(PROTOTYPE)();
    case 'markup': return rng.pick(MARKUP)();
    case 'huge': return rng.pick(['x', '$', '{', '🙂']).repeat(LARGE / 2);
    case 'oversize': return 'y'.repeat(ONE_MB);
    case 'missing': return undefined;
  }
}

/** Every kind but oversize (1 MB bodies are rare on purpose: a hundred of them is plenty and keeps the run short). */
export function pickKind(rng: Rng): HostileKind {
  if (rng.chance(0.01)) return 'oversize';
  return rng.pick(['wrongType', 'operator', 'prototype', 'huge', 'markup', 'missing'] as const);
}

/** Extra keys that should be ignored wherever they appear in card data. */
export function junkKeys(rng: Rng): Record<string, unknown> {
  const junk = fromJson(rng.pick([
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"$where":"1","$ne":null}',
    '{"workspaceId":{"$ne":null}}',
    '{"_id":{"$gt":""}}',
  ])) as Record<string, unknown>;
  return junk;
}
