/**
 * One fitted tree as parallel flat typed arrays. Node 0 is the root; a leaf has feature −1 and
 * left = right = −1; children always have larger indices than their parent (no cycles).
 * A row goes left when x[feature] ≤ threshold (scikit-learn's convention).
 */
export interface TreeArrays {
  readonly nodeCount: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** nodeCount × nOutputs: the mean target (regression) or class fractions (classification). */
  readonly value: Float64Array;
  /** Distinct training rows reaching the node. */
  readonly nSamples: Int32Array;
  /** Bootstrap-weighted rows reaching the node. */
  readonly weightedNSamples: Float64Array;
  /** MSE (regression) or Gini (classification) of the node. */
  readonly impurity: Float64Array;
}

/** Appends nodes to growable typed arrays; `finish()` returns exactly-sized copies. */
export class TreeWriter {
  count = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  nSamples: Int32Array;
  weightedNSamples: Float64Array;
  impurity: Float64Array;

  constructor(
    readonly nOutputs: number,
    private capacity = 64,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * nOutputs);
    this.nSamples = new Int32Array(capacity);
    this.weightedNSamples = new Float64Array(capacity);
    this.impurity = new Float64Array(capacity);
  }

  /** Reserves a node (as a leaf) and returns its index. */
  add(): number {
    if (this.count === this.capacity) this.grow();
    const id = this.count++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    return id;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, cap);
    this.threshold = g(this.threshold, cap);
    this.left = g(this.left, cap);
    this.right = g(this.right, cap);
    this.value = g(this.value, cap * this.nOutputs);
    this.nSamples = g(this.nSamples, cap);
    this.weightedNSamples = g(this.weightedNSamples, cap);
    this.impurity = g(this.impurity, cap);
    this.capacity = cap;
  }

  finish(): TreeArrays {
    const n = this.count;
    return {
      nodeCount: n,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.nOutputs),
      nSamples: this.nSamples.slice(0, n),
      weightedNSamples: this.weightedNSamples.slice(0, n),
      impurity: this.impurity.slice(0, n),
    };
  }
}

/** The buffers of a tree, for postMessage transfer lists. */
export function treeBuffers(t: TreeArrays): ArrayBuffer[] {
  return [t.feature, t.threshold, t.left, t.right, t.value, t.nSamples, t.weightedNSamples, t.impurity].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
