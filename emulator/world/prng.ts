/**
 * Hash-based randomness: every value in the world is a pure function of (seed, tenant, kind, index),
 * so any entity can be computed on its own without generating the ones before it.
 */

/** 32-bit hash of a string (FNV-1a followed by a murmur3 finaliser). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

/** murmur3's finaliser: a fast 32-bit avalanche. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines any number of 32-bit values into one well-mixed 32-bit hash. */
export function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = fmix((h ^ p) + 0x7f4a7c15 + ((h << 6) >>> 0) + (h >>> 2));
  return h;
}

/** A small sequential generator (mulberry32) for the many fields of one entity. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 2^32). */
  u32(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A random-looking version-4 GUID. */
  guid(): string {
    return formatGuid(this.u32(), this.u32(), this.u32(), this.u32());
  }
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The low `width` hex digits of n (width 2, 4, 6 or 8), zero-padded; table-driven because ids are made in bulk. */
export function hex(n: number, width: number): string {
  const u = n >>> 0;
  let out = '';
  for (let shift = (width - 2) * 4; shift >= 0; shift -= 8) out += BYTE_HEX[(u >>> shift) & 0xff];
  return out;
}

/** Formats 128 bits as a version-4, variant-1 GUID. */
export function formatGuid(a: number, b: number, c: number, d: number): string {
  const timeHi = ((b & 0x0fff) | 0x4000) >>> 0;
  const clock = (((c >>> 16) & 0x3fff) | 0x8000) >>> 0;
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(timeHi, 4)}-${hex(clock, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}

/** A deterministic GUID for (namespace hash, label, index). */
export function guidFor(ns: number, label: string, index = 0): string {
  return new Rng(mix(ns, hashString(label), index)).guid();
}

/**
 * A keyed bijection on 32-bit integers (4-round Feistel on 16-bit halves). Used to hide an index inside an id
 * so that the id can be decoded back to the index without any lookup table.
 */
export function permute32(key: number, x: number): number {
  let l = (x >>> 16) & 0xffff;
  let r = x & 0xffff;
  for (let round = 0; round < 4; round++) {
    const f = mix(key, round, r) & 0xffff;
    [l, r] = [r, l ^ f];
  }
  return ((l << 16) | r) >>> 0;
}

export function unpermute32(key: number, y: number): number {
  let l = (y >>> 16) & 0xffff;
  let r = y & 0xffff;
  for (let round = 3; round >= 0; round--) {
    const f = mix(key, round, l) & 0xffff;
    [l, r] = [r ^ f, l];
  }
  return ((l << 16) | r) >>> 0;
}
