export {
  OPEN_EDGE,
  assertEdges,
  binOf,
  histogramOf,
  mergeHistogramLists,
  mergeHistograms,
  rangeEdges,
  sameEdges,
  totalCount,
} from './histogram';
export type { BinRange, Histogram } from './histogram';
export { PSI_EPSILON, ksStatistic, psi } from './statistics';
export { compareHistograms } from './compare';
export type { DriftThresholds, FeatureDrift } from './compare';
