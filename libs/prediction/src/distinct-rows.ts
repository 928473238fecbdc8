/** Largest number of distinct feature rows worth predicting once each. */
const MAX_DISTINCT = 1 << 16;

/**
 * When every feature takes few integer values (age, a flag, a category code), the rows hold at
 * most a few thousand distinct feature vectors: predicting those once and gathering is exact
 * and makes scoring cost a pass over the rows instead of a walk down every tree per row.
 * Returns each row's code and the distinct rows' columns, or null when the features don't fit.
 */
export function distinctRows(
  columns: Float64Array[],
  n: number,
): { codes: Uint32Array; unique: Float64Array[] } | null {
  const mins: number[] = [];
  const radices: number[] = [];
  let combos = 1;
  for (const c of columns) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (!Number.isInteger(v)) return null;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const radix = n === 0 ? 1 : max - min + 1;
    combos *= radix;
    if (combos > MAX_DISTINCT) return null;
    mins.push(min);
    radices.push(radix);
  }
  const codes = new Uint32Array(n);
  for (let f = columns.length - 1; f >= 0; f--) {
    const c = columns[f]!;
    const min = mins[f]!;
    const radix = radices[f]!;
    for (let i = 0; i < n; i++) codes[i] = codes[i]! * radix + (c[i]! - min);
  }
  const slot = new Int32Array(combos).fill(-1);
  let k = 0;
  for (let i = 0; i < n; i++) if (slot[codes[i]!] === -1) slot[codes[i]!] = k++;
  const unique = columns.map(() => new Float64Array(k));
  for (let i = 0; i < n; i++) {
    const s = slot[codes[i]]!;
    for (let f = 0; f < columns.length; f++) unique[f]![s] = columns[f][i]!;
  }
  for (let i = 0; i < n; i++) codes[i] = slot[codes[i]]!;
  return { codes, unique };
}
