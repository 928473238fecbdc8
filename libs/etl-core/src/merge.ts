import { mergeHistogramLists } from '@lakestream/drift';
import type { EmployeeRow } from './employees';
import { mergeStats } from './moments';
import { AGE_EXTREMES, type PartitionSummary, TOP_EARNERS } from './partial';

const byEarnings = (a: EmployeeRow, b: EmployeeRow) => b.salary - a.salary || a.id - b.id;
const byYouth = (a: EmployeeRow, b: EmployeeRow) => a.age - b.age || a.id - b.id;
const byAge = (a: EmployeeRow, b: EmployeeRow) => b.age - a.age || a.id - b.id;

/**
 * The batch's summary from its partitions' summaries. Each partition kept its own best k
 * under a total order, and partitions hold disjoint ids, so the merged best k is exact.
 */
export function mergeSummaries(parts: PartitionSummary[]): PartitionSummary {
  if (parts.length === 0) throw new Error('mergeSummaries needs at least one partition summary');
  const missing: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.missing)) missing[k] = (missing[k] ?? 0) + v;
  const invalid: Record<string, number> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p.invalid ?? {})) invalid[k] = (invalid[k] ?? 0) + v;
  const sum = (f: (p: PartitionSummary) => number) => parts.reduce((s, p) => s + f(p), 0);
  return {
    rowsIn: sum((p) => p.rowsIn),
    rowsOut: sum((p) => p.rowsOut),
    missing,
    invalid,
    duplicatesRemoved: sum((p) => p.duplicatesRemoved),
    futureSignupDates: sum((p) => p.futureSignupDates),
    futureDropped: sum((p) => p.futureDropped),
    columnStats: parts[0]!.columnStats.map((s, i) =>
      parts.slice(1).reduce((acc, p) => mergeStats(acc, p.columnStats[i]!), s),
    ),
    topEarners: parts
      .flatMap((p) => p.topEarners)
      .sort(byEarnings)
      .slice(0, TOP_EARNERS),
    youngestActive: parts
      .flatMap((p) => p.youngestActive)
      .sort(byYouth)
      .slice(0, AGE_EXTREMES),
    oldestActive: parts
      .flatMap((p) => p.oldestActive)
      .sort(byAge)
      .slice(0, AGE_EXTREMES),
    // Same edges in every partition (one config): adding counts is exact.
    histograms: mergeHistogramLists(parts.map((p) => p.histograms ?? [])),
  };
}
