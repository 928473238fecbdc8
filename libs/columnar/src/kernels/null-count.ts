/** Rows marked absent (0) in a byte-per-row validity mask; 0 for a null mask (no nulls). */
export function nullCount(valid: Uint8Array | null | undefined): number {
  if (!valid) return 0;
  let nulls = 0;
  for (let i = 0; i < valid.length; i++) if (valid[i] === 0) nulls++;
  return nulls;
}
