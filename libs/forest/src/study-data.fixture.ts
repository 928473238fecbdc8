import { Rng } from './rng';

/**
 * Test-only stand-in for the study's default profile (libs/dataset owns the real generator):
 * age uniform 18–80, is_active Bernoulli(0.5),
 * salary = 30000 + 1500·(age−18) − 12·(age−18)² + 2500·is_active + N(0, 15000²).
 */
export const STUDY_NOISE_SIGMA = 15000;

export function studyData(
  nRows: number,
  seed: number,
): { age: Float64Array; isActive: Float64Array; salary: Float64Array } {
  const rng = new Rng(seed, 77);
  const age = new Float64Array(nRows);
  const isActive = new Float64Array(nRows);
  const salary = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const a = 18 + rng.nextInt(63);
    const act = rng.nextU32() & 1;
    const u1 = (rng.nextU32() + 1) / 4294967297;
    const u2 = rng.nextU32() / 4294967296;
    const noise = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2) * STUDY_NOISE_SIGMA;
    const d = a - 18;
    age[i] = a;
    isActive[i] = act;
    salary[i] = 30000 + 1500 * d - 12 * d * d + 2500 * act + noise;
  }
  return { age, isActive, salary };
}
