import { mix32 } from './hash';

const TWO_POW_32 = 4294967296;

/** The standard normal density. */
function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * Var(clamp(Z, −c, c)) for Z ~ N(0, 1): 2∫₀ᶜ z²φ(z)dz + c²·(1 − 2∫₀ᶜ φ(z)dz),
 * by composite Simpson's rule (4096 intervals: error far below 1e-12).
 */
export function clampedNormalVariance(c: number): number {
  const n = 4096;
  const h = c / n;
  let inner = 0;
  let mass = 0;
  for (let i = 0; i <= n; i++) {
    const z = i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    inner += w * z * z * phi(z);
    mass += w * phi(z);
  }
  inner *= h / 3;
  mass *= h / 3;
  return 2 * inner + c * c * (1 - 2 * mass);
}

// Marsaglia & Tsang's 128-layer ziggurat tables (J. Stat. Software 5(8), 2000).
const LAYERS = 128;
const R = 3.442619855899;
/** Layer bounds and widths, exported so hot loops can inline the fast path of `zigguratNormal`. */
export const kn = new Float64Array(LAYERS);
export const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  const m1 = 2147483648.0;
  const vn = 9.91256303526217e-3;
  let dn = R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * m1;
  kn[1] = 0;
  wn[0] = q / m1;
  wn[LAYERS - 1] = dn / m1;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * m1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
}

const GOLDEN = 0x9e3779b9;

/**
 * A standard normal deviate from two 32-bit words: `value` (signed: sign and magnitude)
 * and `layer` (its low 7 bits pick the ziggurat layer; separate from `value`, which avoids
 * the original method's bit reuse). In about 1.2% of cases the ziggurat needs more
 * uniforms; they are the words `mix32(key + j·0x9e3779b9)`, j = 1, 2, … — still a pure
 * function of the row.
 */
export function zigguratNormal(value: number, layer: number, key: number): number {
  const hz = value | 0;
  const iz = layer & (LAYERS - 1);
  if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
  return zigguratSlow(hz, iz, key);
}

/** The ziggurat's rare path (wedges and tail), for callers that inline the fast path. */
export function zigguratSlow(hz: number, iz: number, key: number): number {
  let j = 0;
  const uniform = (): number => (mix32((key + ++j * GOLDEN) >>> 0) + 0.5) / TWO_POW_32;
  for (;;) {
    if (iz === 0) {
      let x: number;
      let y: number;
      do {
        x = -Math.log(uniform()) / R;
        y = -Math.log(uniform());
      } while (y + y < x * x);
      return hz > 0 ? R + x : -R - x;
    }
    const x = hz * wn[iz];
    if (fn[iz] + uniform() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
    hz = mix32((key + ++j * GOLDEN) >>> 0) | 0;
    iz = mix32((key + ++j * GOLDEN) >>> 0) & (LAYERS - 1);
    if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
  }
}
