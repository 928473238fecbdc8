import { ForestInputError } from './errors';

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length)
    throw new ForestInputError(`${yTrue.length} true values, ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new ForestInputError('metrics need at least one value');
}

export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i] - yPred[i];
    s += d * d;
  }
  return s / yTrue.length;
}

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(mse(yTrue, yPred));
}

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/** Coefficient of determination; like scikit-learn, 1 for a perfect fit of a constant and 0 otherwise. */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
