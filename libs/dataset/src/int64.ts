/**
 * Writing int64 columns (BigInt64Array, what Arrow uses for int64 and timestamp[us])
 * from plain numbers through a 32-bit view of the same buffer, so no BigInt is created
 * per row. Values must be integers with |v| < 2^53.
 */

const TWO_POW_32 = 4294967296;

export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The 32-bit word view of an int64 column: word 2i is the low half of row i. */
export function int64Words(column: BigInt64Array): Uint32Array {
  if (!LITTLE_ENDIAN) throw new Error('@lakestream/dataset needs a little-endian platform');
  return new Uint32Array(column.buffer, column.byteOffset, column.length * 2);
}

/** Stores the integer `value` (|value| < 2^53) as row `index` of the word view. */
export function setInt64(words: Uint32Array, index: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  words[2 * index] = value - hi * TWO_POW_32;
  words[2 * index + 1] = hi >>> 0;
}
