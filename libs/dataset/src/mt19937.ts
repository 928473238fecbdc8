/**
 * MT19937 exactly as NumPy's legacy `RandomState` uses it (numpy/random/src/mt19937 and
 * legacy distributions): seeding, 32-bit output, 53-bit doubles and masked-rejection
 * bounded integers. Only what the study profile needs.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class Mt19937 {
  private readonly state = new Uint32Array(N);
  private position = N;

  /** `np.random.seed(seed)` for an integer seed: Knuth's linear init (`mt19937_seed`, init_genrand). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32): ${seed}`);
    }
    const mt = this.state;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  private twist(): void {
    const mt = this.state;
    let i = 0;
    for (; i < N - M; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.position = 0;
  }

  /** The next 32-bit output (tempered), as an unsigned number. */
  nextUint32(): number {
    if (this.position >= N) this.twist();
    let y = this.state[this.position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `mt19937_next_double`: 53 random bits from two outputs, in [0, 1). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /**
   * `randint(low, low + range + 1)` for a range below 2^32 as NumPy's legacy path draws it
   * (int64 dtype, `use_masked`): a 32-bit output masked to the smallest 2^k − 1 ≥ range,
   * redrawn while above `range`. The scalar call and each element of the array call are
   * the same procedure, so one loop serves both.
   */
  fillBounded(low: number, range: number, out: { [index: number]: number; length: number }): void {
    if (range === 0) {
      for (let i = 0; i < out.length; i++) out[i] = low;
      return;
    }
    let mask = range;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    for (let i = 0; i < out.length; i++) {
      let v: number;
      do {
        v = (this.nextUint32() & mask) >>> 0;
      } while (v > range);
      out[i] = low + v;
    }
  }

  /** `uniform(low, high, size)`: `low + (high - low) * nextDouble()` per element. */
  fillUniform(low: number, high: number, out: Float64Array): void {
    const range = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.nextDouble();
  }
}

/** `np.rint`: round half to even. */
export function roundHalfEven(y: number): number {
  const r = Math.round(y);
  return r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `np.round(x, decimals)` for decimals ≥ 0: `rint(x * 10^d) / 10^d`. */
export function numpyRound(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return roundHalfEven(x * f) / f;
}
