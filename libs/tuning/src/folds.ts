/**
 * Train/test split and CV folds from a hash of the row id, so every worker agrees on them
 * without moving data, and a row keeps its fold whatever partition or order it arrives in.
 */

/** A 32-bit hash of a non-negative integer id (< 2^53) and a seed; well mixed (murmur3 finaliser). */
export function hashId(id: number, seed: number): number {
  const lo = id >>> 0;
  const hi = Math.floor(id / 4294967296) >>> 0;
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = mix(h ^ lo);
  h = mix(h ^ hi);
  return h >>> 0;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const UNIT = 1 / 4294967296;

/** True when the row belongs to the test split (`testFraction` of the rows). */
export function isTestRow(id: number, testFraction: number, seed: number): boolean {
  return hashId(id, seed) * UNIT < testFraction;
}

/**
 * Assigns every row a fold: 255 = test split, 0..k-1 = its CV fold within the training split.
 * The fold uses a second hash so folds are independent of the split.
 */
export function assignFolds(
  ids: ArrayLike<number | bigint>,
  k: number,
  testFraction: number,
  seed: number,
  out?: Uint8Array,
): Uint8Array {
  const folds = out ?? new Uint8Array(ids.length);
  const foldSeed = (seed + 0x632be5ab) >>> 0;
  for (let i = 0; i < ids.length; i++) {
    const id = Number(ids[i]);
    folds[i] =
      hashId(id, seed) * UNIT < testFraction ? TEST_FOLD : Math.floor(hashId(id, foldSeed) * UNIT * k);
  }
  return folds;
}

export const TEST_FOLD = 255;

/**
 * Rows kept in a halving rung that trains on `fraction` of the data: a hash threshold, so a
 * rung's sample contains every smaller rung's sample.
 */
export function inSample(id: number, fraction: number, seed: number): boolean {
  return fraction >= 1 || sampleHash(id, seed) * UNIT < fraction;
}

/** The hash behind inSample: a row is in a `fraction` sample ⇔ sampleHash · 2^-32 < fraction. */
export function sampleHash(id: number, seed: number): number {
  return hashId(id, (seed + 0x27d4eb2f) >>> 0);
}
