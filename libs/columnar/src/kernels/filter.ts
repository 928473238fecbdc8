/**
 * Row numbers `i` in [0, length) for which `predicate(i)` holds, in order. The predicate reads
 * the column typed arrays it closes over (no row objects). Pass `out` to reuse a buffer.
 */
export function filterIndices(
  length: number,
  predicate: (i: number) => boolean,
  out?: Uint32Array,
): Uint32Array {
  const result = out && out.length >= length ? out : new Uint32Array(length);
  let n = 0;
  for (let i = 0; i < length; i++) if (predicate(i)) result[n++] = i;
  return result.subarray(0, n);
}

/** Row numbers where `mask[i]` is non-zero. */
export function maskIndices(mask: Uint8Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) count++;
  const out = new Uint32Array(count);
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[n++] = i;
  return out;
}
