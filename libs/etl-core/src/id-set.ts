/** The empty slot's key: the smallest 64-bit integer (words lo 0, hi -2^31); that id itself is kept apart. */
const EMPTY_HI = -2147483648;

/**
 * A set of 64-bit integer ids in one open-addressed Int32Array (two words per key, so a probe
 * touches one cache line): no object per id, unlike Set<bigint>, and no BigInt per lookup when
 * fed from a BigInt64Array's words.
 */
export class IdSet {
  private keys: Int32Array;
  private mask: number;
  private hasEmptyKey = false;
  size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = emptyTable(cap);
    this.mask = cap - 1;
  }

  /** Adds `id` (an integer, |id| < 2^53); false when it was already there. */
  add(id: number): boolean {
    return this.addWords(id | 0, Math.floor(id / 4294967296) | 0);
  }

  /** Adds the 64-bit integer whose low and high 32-bit words are `lo` and `hi`; false when it was already there. */
  addWords(lo: number, hi: number): boolean {
    if (hi === EMPTY_HI && lo === 0) {
      if (this.hasEmptyKey) return false;
      this.hasEmptyKey = true;
      this.size++;
      return true;
    }
    if (this.size * 2 >= this.keys.length >> 1) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let slot = hash(lo, hi) & mask;
    for (;;) {
      const h = keys[2 * slot + 1]!;
      const l = keys[2 * slot]!;
      if (h === EMPTY_HI && l === 0) break;
      if (l === lo && h === hi) return false;
      slot = (slot + 1) & mask;
    }
    keys[2 * slot] = lo;
    keys[2 * slot + 1] = hi;
    this.size++;
    return true;
  }

  private grow(): void {
    const old = this.keys;
    this.keys = emptyTable(old.length);
    this.mask = (old.length >> 1) * 2 - 1;
    this.size = this.hasEmptyKey ? 1 : 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] !== EMPTY_HI || old[i] !== 0) this.addWords(old[i]!, old[i + 1]!);
    }
  }
}

function emptyTable(slots: number): Int32Array {
  const keys = new Int32Array(slots * 2);
  for (let i = 1; i < keys.length; i += 2) keys[i] = EMPTY_HI;
  return keys;
}

function hash(lo: number, hi: number): number {
  let h = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The 32-bit words of a BigInt64Array (little-endian: low word first), without copying. */
export const int64Words = (a: BigInt64Array): Int32Array =>
  new Int32Array(a.buffer, a.byteOffset, a.length * 2);
