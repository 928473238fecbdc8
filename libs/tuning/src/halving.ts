import { InvalidInputError } from '@lakestream/core';
import { type Params, paramsKey } from './space';

export interface Rung {
  index: number;
  /** Fraction of the training rows this rung trains on. */
  fraction: number;
  candidates: Params[];
}

export interface HalvingOptions {
  /** Keep 1/eta of the candidates at each rung, and give them eta times the data. */
  eta?: number;
  /** Fraction of rows in the first rung; default chosen so the last rung uses all rows. */
  minFraction?: number;
}

/**
 * Successive halving: the first rung trains every candidate on a small sample; each next
 * rung keeps the best 1/eta (lowest score) and trains them on eta times more rows, until
 * one candidate (or the full data) remains.
 */
export class SuccessiveHalving {
  readonly eta: number;
  readonly rungs: number;
  readonly minFraction: number;

  constructor(
    readonly candidates: Params[],
    options: HalvingOptions = {},
  ) {
    if (candidates.length === 0)
      throw new InvalidInputError('successive halving needs at least one candidate', 'space');
    this.eta = options.eta ?? 3;
    if (!(this.eta >= 2)) throw new InvalidInputError(`halving eta ${this.eta}: expected ≥ 2`, 'eta');
    let rungs = 1;
    for (let n = candidates.length; n > 1; n = Math.max(1, Math.floor(n / this.eta))) rungs++;
    this.rungs = rungs;
    this.minFraction = options.minFraction ?? Math.min(1, this.eta ** -(this.rungs - 1));
  }

  /** The first rung: every candidate on the smallest sample. */
  first(): Rung {
    return { index: 0, fraction: this.minFraction, candidates: this.candidates };
  }

  /**
   * The rung after `rung`, given each candidate's score (lower is better); undefined when
   * `rung` was the last. Ties keep the candidate listed first, so the plan is deterministic.
   */
  next(rung: Rung, scores: Map<string, number>): Rung | undefined {
    if (rung.index >= this.rungs - 1 || rung.candidates.length <= 1) return undefined;
    const ranked = rung.candidates
      .map((p, i) => ({ p, i, s: scores.get(paramsKey(p)) ?? Number.POSITIVE_INFINITY }))
      .sort((a, b) => a.s - b.s || a.i - b.i);
    const keep = Math.max(1, Math.floor(rung.candidates.length / this.eta));
    return {
      index: rung.index + 1,
      fraction: Math.min(1, rung.fraction * this.eta),
      candidates: ranked.slice(0, keep).map((r) => r.p),
    };
  }
}
