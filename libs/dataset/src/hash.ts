/**
 * 32-bit integer mixers and the partitioning hash. Everything here works on plain
 * numbers with `Math.imul` and unsigned shifts, so it is fast in V8 and easy to
 * reproduce elsewhere (C, Python, SQL) from the documentation below.
 */

const TWO_POW_32 = 4294967296;

/**
 * Chris Wellons' "lowbias32" mixer: a bijection on 32-bit words with low avalanche bias.
 * `x ^= x >>> 16; x *= 0x7feb352d; x ^= x >>> 15; x *= 0x846ca68b; x ^= x >>> 16` (mod 2^32).
 */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Chris Wellons' "triple32" mixer (three multiply rounds, a bijection on 32-bit words);
 * used for per-row keys so that they are unrelated to the partitioning hash.
 */
export function triple32(x: number): number {
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x >>> 0;
}

/** Salt of the partitioning hash ("lake" in ASCII). */
export const PARTITION_SALT = 0x6c616b65;

/** The key of the high id word: `mix32(hi ^ PARTITION_SALT)`; a constant for all ids below 2^32. */
export function partitionHighKey(hi: number): number {
  return mix32((hi ^ PARTITION_SALT) >>> 0);
}

/**
 * The 32-bit hash of a row id, a non-negative int64 (as a number: an integer below 2^53):
 * `h = mix32(lo ^ mix32(hi ^ 0x6c616b65))` where `lo = id mod 2^32`, `hi = floor(id / 2^32)`.
 * For a fixed `hi` it is a bijection of `lo`, so consecutive ids spread evenly.
 */
export function hashId(id: number | bigint): number {
  if (typeof id === 'bigint') {
    return mix32((Number(id & 0xffffffffn) ^ partitionHighKey(Number((id >> 32n) & 0xffffffffn))) >>> 0);
  }
  const lo = id >>> 0;
  const hi = (id - lo) / TWO_POW_32;
  return mix32((lo ^ partitionHighKey(hi)) >>> 0);
}

/**
 * The partition of a row id: `floor(hashId(id) * partitions / 2^32)` — the multiply-shift
 * range reduction `(h * P) >> 32` of the 32-bit hash, cheaper than a modulo and just as
 * even. The single source of truth for partitioning by id (generators, publisher,
 * re-partitioning of files). Ids are non-negative int64s; pass a bigint beyond 2^53.
 */
export function hashPartition(id: number | bigint, partitions: number): number {
  return Math.floor((hashId(id) * partitions) / TWO_POW_32);
}

/**
 * The partition of every id of an int64 column, read through a 32-bit view of its buffer
 * (little-endian words), so no BigInt is created. Ids must be non-negative.
 */
export function hashPartitions(ids: BigInt64Array, partitions: number, out?: Uint32Array): Uint32Array {
  const result = out ?? new Uint32Array(ids.length);
  const words = new Uint32Array(ids.buffer, ids.byteOffset, ids.length * 2);
  let hiWord = 0;
  let hiKey = partitionHighKey(0);
  for (let i = 0; i < ids.length; i++) {
    const hi = words[2 * i + 1];
    if (hi !== hiWord) {
      hiWord = hi;
      hiKey = partitionHighKey(hi);
    }
    const h = mix32((words[2 * i] ^ hiKey) >>> 0);
    result[i] = Math.floor((h * partitions) / TWO_POW_32);
  }
  return result;
}

/** `hashPartition` of the ids `firstId … firstId + count − 1` into `out[0 … count − 1]`. */
export function hashPartitionsOfRange(
  firstId: number,
  count: number,
  partitions: number,
  out: Uint32Array,
): Uint32Array {
  let lo = firstId >>> 0;
  let hi = (firstId - lo) / TWO_POW_32;
  let key = partitionHighKey(hi);
  for (let k = 0; k < count; k++) {
    out[k] = ((mix32((lo ^ key) >>> 0) * partitions) / TWO_POW_32) | 0;
    lo++;
    if (lo === TWO_POW_32) {
      lo = 0;
      hi++;
      key = partitionHighKey(hi);
    }
  }
  return out;
}
