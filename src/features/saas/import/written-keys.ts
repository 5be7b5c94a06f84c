/**
 * The keys an import has written during one run, as a fixed-size Bloom filter: memory stays the same however
 * many keys go in (2 MB by default). `mayHold` is never wrong when it says no; a yes may be a false positive
 * (about 1 in 2,500 at 600k keys; more as keys grow past a few million), so a yes must be checked against the store.
 */
export class WrittenKeys {
  readonly #words: Uint32Array;
  readonly #mask: number;

  /** `bits`: a power of two from 2^10 to 2^30. */
  constructor(bits = 1 << 24) {
    if (!Number.isInteger(Math.log2(bits)) || bits < 1 << 10 || bits > 1 << 30) throw new RangeError(`bits must be a power of two from 2^10 to 2^30, got ${bits}`);
    this.#words = new Uint32Array(bits >>> 5);
    this.#mask = bits - 1;
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      this.#words[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  /** False: the key was certainly not added. True: it probably was. */
  mayHold(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      if ((this.#words[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

const PROBES = 4;

/** Two independent 32-bit hashes of the key's UTF-16 code units (FNV-1a, and a murmur-style mix); the second is odd. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return [a >>> 0, (b ^ (b >>> 16)) | 1];
}
