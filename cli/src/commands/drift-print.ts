import { type FeatureDrift, OPEN_EDGE, totalCount } from '@lakestream/drift';

const edge = (e: number) => (e <= -OPEN_EDGE ? '−∞' : e >= OPEN_EDGE ? '∞' : String(+e.toPrecision(6)));
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const bar = (share: number, width: number) => '█'.repeat(Math.round(share * width));

/**
 * A column's two histograms side by side, one line per bin that holds values on either side:
 * the bin, the reference's and the batch's share of rows, and a bar each scaled to the largest share.
 */
export function histogramRows(d: FeatureDrift, width = 20): string[][] {
  const nr = totalCount(d.reference);
  const nc = totalCount(d.current);
  const shares = d.reference.counts.map((r, i) => [r / nr, d.current.counts[i]! / nc] as const);
  const top = Math.max(...shares.flat(), Number.MIN_VALUE);
  const rows: string[][] = [];
  shares.forEach(([r, c], i) => {
    if (d.reference.counts[i] === 0 && d.current.counts[i] === 0) return;
    rows.push([
      `[${edge(d.reference.edges[i]!)}, ${edge(d.reference.edges[i + 1]!)})`,
      pct(r),
      bar(r / top, width).padEnd(width),
      pct(c),
      bar(c / top, width),
    ]);
  });
  return rows;
}
