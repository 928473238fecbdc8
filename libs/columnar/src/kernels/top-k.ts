export interface TopKOptions {
  /** 'desc' (default) keeps the largest values, 'asc' the smallest. */
  order?: 'desc' | 'asc';
  /** Breaks ties: the smaller id ranks first (then the smaller row number). */
  tieBreak?: Float64Array | Int32Array | BigInt64Array;
}

/**
 * Row numbers of the k best values, best first, in O(n log k) with one heap of k row numbers.
 * NaN (how float64Column marks nulls) never ranks.
 */
export function topK(values: Float64Array, k: number, options: TopKOptions = {}): Uint32Array {
  const sign = options.order === 'asc' ? -1 : 1;
  const ids = options.tieBreak;
  if (ids && ids.length < values.length) throw new RangeError('tieBreak is shorter than values');
  /** True when row a ranks before row b. */
  const better = (a: number, b: number): boolean => {
    const va = values[a]! * sign;
    const vb = values[b]! * sign;
    if (va !== vb) return va > vb;
    if (ids) {
      const ia = ids[a]!;
      const ib = ids[b]!;
      if (ia !== ib) return ia < ib;
    }
    return a < b;
  };
  const limit = Math.max(0, Math.min(Math.floor(k), values.length));
  // Min-heap by rank: the root is the worst of the kept rows.
  const heap = new Uint32Array(limit);
  let size = 0;
  const siftDown = (at: number): void => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < size && better(heap[worst]!, heap[l]!)) worst = l;
      if (r < size && better(heap[worst]!, heap[r]!)) worst = r;
      if (worst === at) return;
      const t = heap[at]!;
      heap[at] = heap[worst]!;
      heap[worst] = t;
      at = worst;
    }
  };
  for (let i = 0; i < values.length && limit > 0; i++) {
    if (Number.isNaN(values[i]!)) continue;
    if (size < limit) {
      let at = size++;
      heap[at] = i;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!better(heap[parent]!, heap[at]!)) break;
        const t = heap[at]!;
        heap[at] = heap[parent]!;
        heap[parent] = t;
        at = parent;
      }
    } else if (better(i, heap[0]!)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = heap.slice(0, size);
  return out.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
