import { mix32, partitionHighKey } from './hash';

const TWO_POW_32 = 4294967296;

type Codes = Uint8Array | Uint16Array | Uint32Array;

interface PartitionCodes {
  firstId: number;
  rows: number;
  partitions: number;
  /** The partition of row k (id firstId + k). */
  codes: Codes;
}

let cached: PartitionCodes | undefined;

/**
 * The partition of every id `firstId … firstId + rows − 1` (1 byte per id up to 256
 * partitions), from one hashing pass. The last result is kept: a worker asked for the
 * partitions of one batch one call at a time hashes the ids once, then only scans.
 */
export function partitionCodes(firstId: number, rows: number, partitions: number): Codes {
  if (cached?.firstId === firstId && cached.rows === rows && cached.partitions === partitions) {
    return cached.codes;
  }
  cached = undefined;
  const codes =
    partitions <= 256
      ? new Uint8Array(rows)
      : partitions <= 65_536
        ? new Uint16Array(rows)
        : new Uint32Array(rows);
  let lo = firstId >>> 0;
  let hi = (firstId - lo) / TWO_POW_32;
  let key = partitionHighKey(hi);
  for (let k = 0; k < rows; k++) {
    codes[k] = ((mix32((lo ^ key) >>> 0) * partitions) / TWO_POW_32) | 0;
    lo++;
    if (lo === TWO_POW_32) {
      lo = 0;
      hi++;
      key = partitionHighKey(hi);
    }
  }
  cached = { firstId, rows, partitions, codes };
  return codes;
}

/** Drops the kept partition codes. */
export function clearPartitionCodes(): void {
  cached = undefined;
}

/**
 * For each wanted partition, the row indices (id − firstId, ascending) it owns: a scan of
 * the partition codes for one partition, a counting sort for several.
 */
export function ownedRows(
  firstId: number,
  rows: number,
  partitions: number,
  wanted: readonly number[],
): Map<number, Uint32Array> {
  const codes = partitionCodes(firstId, rows, partitions);
  const result = new Map<number, Uint32Array>();
  if (wanted.length === 1) {
    const p = wanted[0];
    let owned = new Uint32Array(Math.min(rows, Math.ceil((rows / partitions) * 1.05) + 1024));
    let n = 0;
    // indexOf is a native scan, faster than a JS loop over sparse matches.
    for (let k = codes.indexOf(p); k >= 0; k = codes.indexOf(p, k + 1)) {
      if (n === owned.length) {
        const grown = new Uint32Array(Math.min(rows, owned.length * 2));
        grown.set(owned);
        owned = grown;
      }
      owned[n++] = k;
    }
    result.set(p, owned.slice(0, n));
    return result;
  }
  // Slot s + 1 for wanted partition s, 0 for the others.
  const slotOf = new Int32Array(partitions);
  wanted.forEach((p, slot) => {
    slotOf[p] = slot + 1;
  });
  const offsets = new Float64Array(wanted.length + 1);
  for (let k = 0; k < rows; k++) offsets[slotOf[codes[k]]]++;
  offsets[0] = 0;
  for (let s = 0; s < wanted.length; s++) offsets[s + 1] += offsets[s];
  const next = offsets.slice(0, wanted.length);
  const owned = new Uint32Array(offsets[wanted.length]);
  for (let k = 0; k < rows; k++) {
    const slot = slotOf[codes[k]];
    if (slot !== 0) owned[next[slot - 1]++] = k;
  }
  wanted.forEach((p, slot) => {
    result.set(p, owned.subarray(offsets[slot], offsets[slot + 1]));
  });
  return result;
}
