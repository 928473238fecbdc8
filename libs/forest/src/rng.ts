/**
 * A small seeded PRNG (sfc32) with a SplitMix32 seeder. Each tree gets its own stream derived
 * from (randomState, treeIndex), so a forest does not depend on how trees are spread over threads.
 */
export class Rng {
  private readonly s = new Int32Array(4);

  constructor(seed: number, stream = 0) {
    let x = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) | 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const a = s[0];
    const b = s[1];
    const c = s[2];
    const d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** The next `out.length` values of nextU32, in a loop over local state (hot bootstrap passes). */
  fillU32(out: Uint32Array): void {
    const s = this.s;
    let a = s[0];
    let b = s[1];
    let c = s[2];
    let d = s[3];
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[i] = t >>> 0;
    }
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
  }

  /** A uniform integer in [0, n) for n ≤ 2^32 (multiply-shift; bias below n · 2^-32). */
  nextInt(n: number): number {
    return Math.floor(this.nextU32() * 2.3283064365386963e-10 * n);
  }
}

/** A random 32-bit seed when the caller gives no randomState. */
export function randomSeed(): number {
  return (Math.random() * 4294967296) >>> 0;
}
