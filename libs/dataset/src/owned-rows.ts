import { mix32, partitionHighKey } from './hash';

const TWO_POW_32 = 4294967296;

/**
 * One pass over the ids `firstId … firstId + rows − 1` computing only their partition hash;
 * returns, for each wanted partition, the row indices (id − firstId, ascending) it owns.
 * Hashing costs a few nanoseconds per id, so a worker producing several partitions
 * buckets them all at once: pass 1 hashes every id into a small slot array and counts,
 * pass 2 scatters the row indices into one exact-size array (a counting sort).
 */
export function ownedRows(
  firstId: number,
  rows: number,
  partitions: number,
  wanted: readonly number[],
): Map<number, Uint32Array> {
  const slots = wanted.length;
  // Per row: 0 = not wanted, s + 1 = wanted slot s.
  const codeOfRow =
    slots < 255 ? new Uint8Array(rows) : slots < 65_535 ? new Uint16Array(rows) : new Uint32Array(rows);
  const codeOf = new Int32Array(partitions);
  wanted.forEach((p, slot) => {
    codeOf[p] = slot + 1;
  });
  const offsets = new Float64Array(slots + 1);
  let lo = firstId >>> 0;
  let hi = (firstId - lo) / TWO_POW_32;
  let key = partitionHighKey(hi);
  for (let k = 0; k < rows; k++) {
    const code = codeOf[((mix32((lo ^ key) >>> 0) * partitions) / TWO_POW_32) | 0];
    codeOfRow[k] = code;
    offsets[code]++;
    lo++;
    if (lo === TWO_POW_32) {
      lo = 0;
      hi++;
      key = partitionHighKey(hi);
    }
  }
  offsets[0] = 0;
  for (let s = 0; s < slots; s++) offsets[s + 1] += offsets[s];
  const next = offsets.slice(0, slots + 1);
  const owned = new Uint32Array(offsets[slots]);
  for (let k = 0; k < rows; k++) {
    const code = codeOfRow[k];
    if (code !== 0) owned[next[code - 1]++] = k;
  }
  const result = new Map<number, Uint32Array>();
  wanted.forEach((p, slot) => {
    result.set(p, owned.subarray(offsets[slot], offsets[slot + 1]));
  });
  return result;
}
