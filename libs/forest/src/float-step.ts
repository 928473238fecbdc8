const f64 = new Float64Array(1);
const bits = new BigInt64Array(f64.buffer);

/** The smallest double greater than x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  bits[0] += x > 0 ? 1n : -1n;
  return f64[0];
}

/** The largest double smaller than x (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
