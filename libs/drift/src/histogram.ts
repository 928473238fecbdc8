/**
 * Counts of a numeric column over fixed bin edges (the contracts' Histogram record). Bin i is
 * [edges[i], edges[i+1]); a value below the first edge counts in the first bin and one at or
 * above the last edge in the last, so with outer edges ±OPEN_EDGE those two are the under- and
 * overflow bins. Fixed edges make histograms mergeable exactly: add the counts.
 */
export interface Histogram {
  column: string;
  edges: number[];
  counts: number[];
}

/** The outer edge of an under/overflow bin: finite, so JSON and Avro keep it as is. */
export const OPEN_EDGE = Number.MAX_VALUE;

/** A range of equal bins, from `from` to `to` by `step`. */
export interface BinRange {
  from: number;
  to: number;
  step: number;
}

/** Edges from..to by step, plus an underflow and an overflow bin. */
export function rangeEdges(r: BinRange): number[] {
  if (!(Number.isFinite(r.from) && Number.isFinite(r.to) && r.step > 0 && r.to > r.from))
    throw new RangeError(`bin range ${JSON.stringify(r)}: expected finite from < to and step > 0`);
  const n = Math.round((r.to - r.from) / r.step);
  if (Math.abs(r.from + n * r.step - r.to) > 1e-9 * Math.max(1, Math.abs(r.to)) || n > 10_000)
    throw new RangeError(
      `bin range ${JSON.stringify(r)}: (to - from) must be a multiple of step, at most 10000 bins`,
    );
  const edges = [-OPEN_EDGE];
  // Multiplied, not accumulated: no rounding drift between the ETL's edges and the predictor's.
  for (let i = 0; i <= n; i++) edges.push(r.from + i * r.step);
  edges.push(OPEN_EDGE);
  return edges;
}

/** Throws when `edges` cannot bin anything: fewer than two, not strictly ascending, or not finite. */
export function assertEdges(column: string, edges: readonly number[]): void {
  if (edges.length < 2) throw new RangeError(`histogram ${column}: needs at least two edges`);
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]!)) throw new RangeError(`histogram ${column}: edge ${i} is ${edges[i]}`);
    if (i > 0 && !(edges[i]! > edges[i - 1]!))
      throw new RangeError(
        `histogram ${column}: edges must ascend (edge ${i}: ${edges[i]} after ${edges[i - 1]})`,
      );
  }
}

/** The bin of `x` (binary search over the inner edges; outer bins are open). NaN goes nowhere: -1. */
export function binOf(edges: readonly number[], x: number): number {
  if (Number.isNaN(x)) return -1;
  let lo = 0;
  let hi = edges.length - 2;
  // Invariant: the bin lies in [lo, hi]; bin i holds x < edges[i+1] for all i below the last.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < edges[mid + 1]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The histogram of `values` (at positions `rows` when given; `valid[i] === 0` skips a null).
 * Typed-array loop, one binary search per value.
 */
export function histogramOf(
  column: string,
  edges: readonly number[],
  values: ArrayLike<number>,
  options: { rows?: Uint32Array; valid?: Uint8Array | null } = {},
): Histogram {
  assertEdges(column, edges);
  const counts = new Float64Array(edges.length - 1);
  const { rows, valid } = options;
  if (rows) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      if (valid && valid[r] === 0) continue;
      const b = binOf(edges, values[r]!);
      if (b >= 0) counts[b]!++;
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      if (valid && valid[i] === 0) continue;
      const b = binOf(edges, values[i]!);
      if (b >= 0) counts[b]!++;
    }
  }
  return { column, edges: [...edges], counts: Array.from(counts) };
}

/** True when both histograms use exactly the same edges. */
export function sameEdges(a: Histogram, b: Histogram): boolean {
  return a.edges.length === b.edges.length && a.edges.every((e, i) => e === b.edges[i]);
}

/** The sum of histograms of one column on the same edges: exact. */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  if (parts.length === 0) throw new RangeError('mergeHistograms needs at least one histogram');
  const first = parts[0]!;
  const counts = [...first.counts];
  for (const p of parts.slice(1)) {
    if (p.column !== first.column || !sameEdges(first, p))
      throw new RangeError(
        `cannot merge histogram ${p.column} (${p.edges.length} edges) into ${first.column} (${first.edges.length} edges): different column or edges`,
      );
    for (let i = 0; i < counts.length; i++) counts[i]! += p.counts[i]!;
  }
  return { column: first.column, edges: [...first.edges], counts };
}

/** Merges lists of histograms column by column (each list holds a column at most once). */
export function mergeHistogramLists(lists: readonly (readonly Histogram[])[]): Histogram[] {
  const byColumn = new Map<string, Histogram[]>();
  for (const list of lists)
    for (const h of list) {
      const got = byColumn.get(h.column);
      if (got) got.push(h);
      else byColumn.set(h.column, [h]);
    }
  return [...byColumn.values()].map(mergeHistograms);
}

export const totalCount = (h: Histogram): number => h.counts.reduce((s, c) => s + c, 0);
