import { mix32, partitionHighKey } from './hash';

const TWO_POW_32 = 4294967296;
const BLOCK = 16384;

/**
 * One pass over the ids `firstId … firstId + rows - 1` computing only their partition hash;
 * returns, for each wanted partition, the row indices (id − firstId, ascending) it owns.
 * Hashing costs a few nanoseconds per id, so a worker producing several partitions
 * buckets them all in a single pass. Works block by block: hash a block into a small
 * buffer and count, make room, then scatter.
 */
export function ownedRows(
  firstId: number,
  rows: number,
  partitions: number,
  wanted: readonly number[],
): Map<number, Uint32Array> {
  const slotOf = new Int32Array(partitions).fill(-1);
  wanted.forEach((p, slot) => {
    slotOf[p] = slot;
  });
  const expected = Math.min(rows, Math.ceil((rows / partitions) * 1.01) + BLOCK);
  const buckets = wanted.map(() => new Uint32Array(expected));
  const sizes = new Uint32Array(wanted.length);
  const slots = new Int32Array(BLOCK);
  const counts = new Uint32Array(wanted.length);
  for (let start = 0; start < rows; start += BLOCK) {
    const end = Math.min(rows, start + BLOCK);
    const first = firstId + start;
    const lo0 = first >>> 0;
    const crossesHigh = lo0 + (end - start) > TWO_POW_32;
    let key = partitionHighKey((first - lo0) / TWO_POW_32);
    counts.fill(0);
    for (let k = start; k < end; k++) {
      let lo = lo0 + (k - start);
      if (crossesHigh && lo >= TWO_POW_32) {
        lo -= TWO_POW_32;
        key = partitionHighKey((first + (k - start) - lo) / TWO_POW_32);
      }
      const slot = slotOf[((mix32((lo ^ key) >>> 0) * partitions) / TWO_POW_32) | 0];
      slots[k - start] = slot;
      if (slot >= 0) counts[slot]++;
    }
    for (let s = 0; s < wanted.length; s++) {
      const need = sizes[s] + counts[s];
      if (need > buckets[s].length) {
        const grown = new Uint32Array(Math.min(rows, Math.max(need, buckets[s].length * 2)));
        grown.set(buckets[s]);
        buckets[s] = grown;
      }
    }
    for (let k = start; k < end; k++) {
      const slot = slots[k - start];
      if (slot >= 0) buckets[slot][sizes[slot]++] = k;
    }
  }
  const result = new Map<number, Uint32Array>();
  wanted.forEach((p, slot) => {
    result.set(p, buckets[slot].slice(0, sizes[slot]));
  });
  return result;
}
