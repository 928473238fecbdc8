/**
 * Data of the forest benchmark, written once as raw little-endian float64 files that our runner
 * and scikit-learn's read alike: meta.json, x-train.f64 (column-major), y-train.f64, x-test.f64,
 * y-test.f64.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describedProfile, generatePartition } from '@lakestream/dataset';

export interface BenchData {
  nTrain: number;
  nTest: number;
  features: string[];
  /** Var(y | x) of the generator: the best achievable test MSE. */
  noiseVariance: number;
  formula: string;
  xTrain: Float64Array[];
  yTrain: Float64Array;
  xTest: Float64Array[];
  yTest: Float64Array;
}

/** The study's data (the `described` profile of libs/dataset): features age and is_active, target salary. */
export function studyData(nTrain: number, nTest: number, seed = 42): BenchData {
  const rows = generatePartition({
    rows: nTrain + nTest,
    partitions: 1,
    partition: 0,
    seed,
    referenceDate: '2026-01-01',
  });
  const age = Float64Array.from(rows.age);
  const active = Float64Array.from(rows.isActive);
  return {
    nTrain,
    nTest,
    features: ['age', 'is_active'],
    noiseVariance: describedProfile.noiseVariance,
    formula: describedProfile.formula,
    xTrain: [age.slice(0, nTrain), active.slice(0, nTrain)],
    yTrain: rows.salary.slice(0, nTrain),
    xTest: [age.slice(nTrain), active.slice(nTrain)],
    yTest: rows.salary.slice(nTrain),
  };
}

const WIDE_SIGMA = 1;

/**
 * A wider table: 10 uniform [0, 1) features, y from Friedman's function #1 (five of them matter)
 * plus N(0, 1): y = 10·sin(π·x0·x1) + 20·(x2 − 0.5)² + 10·x3 + 5·x4 + ε.
 */
export function wideData(nTrain: number, nTest: number, seed = 7): BenchData {
  const n = nTrain + nTest;
  let s = seed >>> 0;
  const u = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = Array.from({ length: 10 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 10; f++) x[f][i] = u();
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    y[i] =
      10 * Math.sin(Math.PI * x[0][i] * x[1][i]) +
      20 * (x[2][i] - 0.5) ** 2 +
      10 * x[3][i] +
      5 * x[4][i] +
      WIDE_SIGMA * z;
  }
  return {
    nTrain,
    nTest,
    features: x.map((_, f) => `x${f}`),
    noiseVariance: WIDE_SIGMA ** 2,
    formula: 'y = 10·sin(π·x0·x1) + 20·(x2 − 0.5)² + 10·x3 + 5·x4 + N(0, 1); x0…x9 ~ U[0, 1)',
    xTrain: x.map((c) => c.slice(0, nTrain)),
    yTrain: y.slice(0, nTrain),
    xTest: x.map((c) => c.slice(nTrain)),
    yTest: y.slice(nTrain),
  };
}

export function writeBenchData(dir: string, d: BenchData): void {
  mkdirSync(dir, { recursive: true });
  const cat = (cols: Float64Array[]) =>
    Buffer.concat(cols.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      nTrain: d.nTrain,
      nTest: d.nTest,
      nFeatures: d.features.length,
      noiseVariance: d.noiseVariance,
    }),
  );
  writeFileSync(join(dir, 'x-train.f64'), cat(d.xTrain));
  writeFileSync(join(dir, 'y-train.f64'), cat([d.yTrain]));
  writeFileSync(join(dir, 'x-test.f64'), cat(d.xTest));
  writeFileSync(join(dir, 'y-test.f64'), cat([d.yTest]));
}

export function readBenchData(
  dir: string,
): Pick<BenchData, 'nTrain' | 'nTest' | 'xTrain' | 'yTrain' | 'xTest' | 'yTest'> {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const f64 = (name: string) => {
    const b = readFileSync(join(dir, name));
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const split = (a: Float64Array, n: number) =>
    Array.from({ length: meta.nFeatures }, (_, f) => a.subarray(f * n, (f + 1) * n));
  return {
    nTrain: meta.nTrain,
    nTest: meta.nTest,
    xTrain: split(f64('x-train.f64'), meta.nTrain),
    yTrain: f64('y-train.f64'),
    xTest: split(f64('x-test.f64'), meta.nTest),
    yTest: f64('y-test.f64'),
  };
}
