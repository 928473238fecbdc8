/**
 * The `k` best positions among `rows` by `better(a, b)` (true when row a ranks before b),
 * best first. A sorted buffer of k with a threshold check: one comparison for most rows.
 */
export function topK(
  rows: Uint32Array,
  k: number,
  better: (a: number, b: number) => boolean,
  accept?: (row: number) => boolean,
): number[] {
  const best: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (accept && !accept(row)) continue;
    let i: number;
    if (best.length < k) {
      best.push(row);
      i = best.length - 1;
    } else {
      if (!better(row, best[k - 1]!)) continue;
      i = k - 1;
      best[i] = row;
    }
    while (i > 0 && better(best[i]!, best[i - 1]!)) {
      const t = best[i]!;
      best[i] = best[i - 1]!;
      best[i - 1] = t;
      i--;
    }
  }
  return best;
}
