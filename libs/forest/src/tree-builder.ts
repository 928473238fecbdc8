import { type BinnedDataset, MAX_BINS, midpoint } from './binning';
import { histogramSize, subtractHistogram } from './histogram';
import { type BootstrapMethod, drawMultinomial, drawPoisson, groupedPoissonSums } from './bootstrap';
import { drawGroupSums, type GroupBootstrapPlan, planGroupBootstrap } from './group-bootstrap';
import { ClassRows, GroupedRegressionRows, groupSums, RegressionRows, type RowSet } from './row-sets';
import { Rng } from './rng';
import { scratchU16 } from './scratch';
import { type SplitResult, scanFeature } from './split';
import { type TreeArrays, TreeWriter } from './tree';

/** Resolved, integer-valued tree parameters (the forest turns scikit-learn's forms into these). */
export interface TreeParams {
  /** −1 = unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features drawn per split (1…nFeatures). */
  maxFeatures: number;
  bootstrap: boolean;
  /** Bootstrap draws per tree. */
  nDraws: number;
  /** How the draws are made (see bootstrap.ts); default multinomial, as scikit-learn. */
  bootstrapMethod?: BootstrapMethod;
  /** Poisson over groups: groups of at least this many rows drawn from their normal limit; null: none. */
  poissonNormalMinRows?: number | null;
}

/** The target: regression values, or class indices 0…nClasses−1. */
export type Target =
  | { kind: 'regression'; y: Float64Array }
  | { kind: 'classification'; cls: Int32Array; nClasses: number };

/** Per-tree stream of the forest's seed; independent of how trees are spread over threads. */
export function treeRng(randomState: number, treeIndex: number): Rng {
  return new Rng(randomState, treeIndex);
}

const STACK_INTS = 5; // node, start, end, depth, histogram slot

/**
 * Builds tree `treeIndex` of a forest from binned data, on every row or on `rows` only (ascending
 * row indices; the others are out of the bag). Pure function of its inputs.
 */
export function buildTree(
  data: BinnedDataset,
  target: Target,
  params: TreeParams,
  randomState: number,
  treeIndex: number,
  subset?: Uint32Array,
): TreeArrays {
  const rng = treeRng(randomState, treeIndex);
  const { nFeatures } = data;
  const nBins = data.edges.map((e) => e.length + 1);
  const regression = target.kind === 'regression';
  const nChannels = regression ? 1 : target.nClasses;
  const nOutputs = nChannels;
  const stride = 2 + nChannels;

  // bootstrap counts → the in-bag rows (or groups of identical rows) as positions
  const rows = inBagRows(data, target, params, rng, subset);
  const size = rows.size;

  const hsize = histogramSize(nFeatures, nChannels);
  const hists: Float64Array[] = [];
  const free: number[] = [];
  const takeSlot = (): number => {
    const s = free.pop();
    if (s !== undefined) return s;
    hists.push(new Float64Array(hsize));
    return hists.length - 1;
  };
  const build = (slot: number, start: number, end: number): void => rows.histogram(start, end, hists[slot]);

  // node totals: [count, weight, channels…, Σ w·y² (regression)]
  const tw = stride + 1;
  let stackInts = new Int32Array(64 * STACK_INTS);
  let stackTotals = new Float64Array(64 * tw);
  let sp = 0;
  const push = (
    node: number,
    start: number,
    end: number,
    depth: number,
    slot: number,
    totals: Float64Array,
  ) => {
    if ((sp + 1) * STACK_INTS > stackInts.length) {
      const a = new Int32Array(stackInts.length * 2);
      a.set(stackInts);
      stackInts = a;
      const b = new Float64Array(stackTotals.length * 2);
      b.set(stackTotals);
      stackTotals = b;
    }
    const o = sp * STACK_INTS;
    stackInts[o] = node;
    stackInts[o + 1] = start;
    stackInts[o + 2] = end;
    stackInts[o + 3] = depth;
    stackInts[o + 4] = slot;
    stackTotals.set(totals, sp * tw);
    sp++;
  };

  const writer = new TreeWriter(nOutputs, 64);
  const maxDepth = params.maxDepth < 0 ? Number.POSITIVE_INFINITY : params.maxDepth;
  const splittable = (n: number, depth: number) =>
    depth < maxDepth && n >= params.minSamplesSplit && n >= 2 * params.minSamplesLeaf;

  const rootTotals = new Float64Array(tw);
  rows.totals(0, size, rootTotals);
  const root = writer.add();
  let rootSlot = -1;
  if (size > 0 && splittable(rootTotals[0], 0)) {
    rootSlot = takeSlot();
    build(rootSlot, 0, size);
  }
  push(root, 0, size, 0, rootSlot, rootTotals);

  const totals = new Float64Array(tw);
  const leftTotals = new Float64Array(tw);
  const rightTotals = new Float64Array(tw);
  const scratch = new Float64Array(stride);
  const base = new Float64Array(stride);
  const best: SplitResult = { feature: -1, bin: -1, proxy: 0, countLeft: 0, weightLeft: 0 };
  const order = Int32Array.from({ length: nFeatures }, (_, f) => f);

  while (sp > 0) {
    sp--;
    const o = sp * STACK_INTS;
    const node = stackInts[o];
    const start = stackInts[o + 1];
    const end = stackInts[o + 2];
    const depth = stackInts[o + 3];
    const slot = stackInts[o + 4];
    totals.set(stackTotals.subarray(sp * tw, sp * tw + tw));

    // node statistics (scikit-learn keeps a value on every node)
    const n = totals[0];
    const wt = totals[1];
    writer.nSamples[node] = n;
    writer.weightedNSamples[node] = wt;
    let impurity: number;
    if (regression) {
      const mean = wt > 0 ? totals[2] / wt : 0;
      writer.value[node] = mean;
      const meanSq = wt > 0 ? totals[3] / wt : 0;
      impurity = Math.max(0, meanSq - mean * mean);
      if (impurity <= 1e-12 * meanSq) impurity = 0;
    } else {
      let sumSq = 0;
      for (let c = 0; c < nChannels; c++) {
        const p = wt > 0 ? totals[2 + c] / wt : 0;
        writer.value[node * nOutputs + c] = p;
        sumSq += p * p;
      }
      impurity = Math.max(0, 1 - sumSq);
      if (impurity <= 1e-12) impurity = 0;
    }
    writer.impurity[node] = impurity;
    if (slot < 0 || impurity === 0 || !splittable(n, depth)) {
      if (slot >= 0) free.push(slot);
      continue;
    }

    // best split over features drawn without replacement (continuing past maxFeatures until one is valid)
    const hist = hists[slot];
    best.feature = -1;
    best.proxy = Number.NEGATIVE_INFINITY;
    const drawAll = params.maxFeatures >= nFeatures;
    let visited = 0;
    for (let j = 0; j < nFeatures; j++) {
      if (!drawAll) {
        const k = j + rng.nextInt(nFeatures - j);
        const t = order[j];
        order[j] = order[k];
        order[k] = t;
      }
      const f = order[j];
      if (scanFeature(hist, f, nBins[f], nChannels, totals, params.minSamplesLeaf, scratch, best)) visited++;
      if (!drawAll && visited >= params.maxFeatures && best.feature >= 0) break;
    }
    if (!drawAll) for (let j = 0; j < nFeatures; j++) order[j] = j;
    if (best.feature < 0) {
      free.push(slot);
      continue;
    }

    // like scikit-learn: the threshold lies midway between the largest value going left and the
    // smallest going right; for a quantised feature, the exact values of the two bins around the
    // boundary are searched for a better threshold (bins stay ≤ 256, split quality stays exact-like)
    const f = best.feature;
    const bin = best.bin;
    let next = bin + 1;
    const hb = f * MAX_BINS * stride;
    while (hist[hb + next * stride] === 0) next++;
    let threshold = midpoint(data.binMax[f][bin], data.binMin[f][next]);
    let mid: number;
    const refined =
      rows.refine && !data.exact[f]
        ? rows.refine(
            start,
            end,
            f,
            bin,
            next,
            cumulative(hist, hb, stride, bin, base),
            totals,
            params.minSamplesLeaf,
          )
        : undefined;
    if (refined !== undefined) {
      threshold = refined;
      mid = rows.partitionAt!(start, end, f, threshold, leftTotals, rightTotals);
    } else {
      mid = rows.partition(start, end, f, bin, leftTotals, rightTotals);
    }
    const leftId = writer.add();
    const rightId = writer.add();
    writer.feature[node] = f;
    writer.threshold[node] = threshold;
    writer.left[node] = leftId;
    writer.right[node] = rightId;

    // children's histograms: build the smaller, derive the larger by subtraction
    const splitL = splittable(leftTotals[0], depth + 1);
    const splitR = splittable(rightTotals[0], depth + 1);
    let slotL = -1;
    let slotR = -1;
    if (splitL || splitR) {
      const leftSmaller = mid - start <= end - mid;
      const small = takeSlot();
      if (leftSmaller) build(small, start, mid);
      else build(small, mid, end);
      const largeSplittable = leftSmaller ? splitR : splitL;
      const smallSplittable = leftSmaller ? splitL : splitR;
      let large = -1;
      if (largeSplittable) {
        subtractHistogram(hist, hists[small]);
        large = slot;
      } else free.push(slot);
      if (!smallSplittable) {
        free.push(small);
      }
      const smallSlot = smallSplittable ? small : -1;
      slotL = leftSmaller ? smallSlot : large;
      slotR = leftSmaller ? large : smallSlot;
    } else free.push(slot);
    push(rightId, mid, end, depth + 1, slotR, rightTotals);
    push(leftId, start, mid, depth + 1, slotL, leftTotals);
  }
  return writer.finish();
}

/** The tree's in-bag rows: bootstrap weights (or 1) for every row of the subset, 0 elsewhere. */
function inBagRows(
  data: BinnedDataset,
  target: Target,
  params: TreeParams,
  rng: Rng,
  subset: Uint32Array | undefined,
): RowSet {
  const m = subset ? subset.length : data.nRows;
  const poisson = params.bootstrap && params.bootstrapMethod === 'poisson';
  if (poisson && target.kind === 'regression' && data.groups) {
    // one streaming pass into the groups' sums: no per-row weights at all
    const sums = groupSums(data.groups.nGroups);
    const lambda = params.nDraws / m;
    const minRows = params.poissonNormalMinRows;
    if (minRows !== null && minRows !== undefined) {
      const plan = groupPlan(data, target.y, subset, lambda, minRows);
      drawGroupSums(plan, rng, target.y, data.groups.groupOf, sums);
    } else groupedPoissonSums(rng, data.groups.groupOf, target.y, subset, lambda, sums);
    return new GroupedRegressionRows(data, sums);
  }
  // Poisson(1)-like draws never reach 65536
  const counts = scratchU16('counts', data.nRows).fill(0);
  if (poisson) drawPoisson(rng, counts, subset, params.nDraws / m);
  else if (params.bootstrap) drawMultinomial(rng, counts, subset, params.nDraws);
  else if (subset) for (let j = 0; j < subset.length; j++) counts[subset[j]] = 1;
  else counts.fill(1);
  if (target.kind === 'classification') return new ClassRows(data, target.cls, target.nClasses, counts);
  return data.groups
    ? GroupedRegressionRows.fromCounts(data, target.y, counts)
    : new RegressionRows(data, target.y, counts);
}

/**
 * The group bootstrap plan of one fit, made by its first tree and reused by the others: the trees
 * of a fit on a thread share the row subset object (or, without one, the data's groups), so it
 * keys the cache and the plan goes with it.
 */
const plans = new WeakMap<
  object,
  { y: Float64Array; lambda: number; minRows: number; plan: GroupBootstrapPlan }
>();

function groupPlan(
  data: BinnedDataset,
  y: Float64Array,
  subset: Uint32Array | undefined,
  lambda: number,
  minRows: number,
): GroupBootstrapPlan {
  const groups = data.groups!;
  const key = subset ?? groups.groupOf;
  const hit = plans.get(key);
  if (hit && hit.y === y && hit.lambda === lambda && hit.minRows === minRows) return hit.plan;
  const plan = planGroupBootstrap(groups.groupOf, groups.nGroups, y, subset, lambda, minRows);
  plans.set(key, { y, lambda, minRows, plan });
  return plan;
}

/** Sums of bins 0 … bin−1 of one feature's histogram into out (count, weight, channels). */
function cumulative(
  hist: Float64Array,
  hb: number,
  stride: number,
  bin: number,
  out: Float64Array,
): Float64Array {
  out.fill(0);
  for (let b = 0; b < bin; b++) for (let j = 0; j < stride; j++) out[j] += hist[hb + b * stride + j];
  return out;
}
