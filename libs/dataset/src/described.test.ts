import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import type { PartitionColumns } from './columns';
import { describedProfile } from './described';
import { generatePartition, generatePartitions } from './generate';
import { hashPartition } from './hash';
import { generateInWorkers } from './workers';

const REFERENCE_DATE = '2026-11-25T15:30:00Z';
const REFERENCE_DAY_US = BigInt(Date.parse('2026-11-25T00:00:00Z')) * 1000n;
const DAY_US = 86_400_000_000n;

/** Every row as a comparable string, with nulls shown as null, keyed by id. */
function rowsById(parts: Iterable<PartitionColumns>): Map<bigint, string[]> {
  const rows = new Map<bigint, string[]>();
  for (const part of parts) {
    const v = part.validity;
    for (let i = 0; i < part.count; i++) {
      const cell = (valid: Uint8Array | undefined, value: unknown) =>
        valid && !valid[i] ? 'null' : String(value);
      const row = [
        cell(v.name, part.names[part.nameIndex[i]]),
        cell(v.age, part.age[i]),
        cell(v.salary, part.salary[i]),
        cell(v.signupDate, part.signupDate[i]),
        String(part.isActive[i]),
      ].join('|');
      const list = rows.get(part.id[i]) ?? [];
      list.push(row);
      rows.set(part.id[i], list);
    }
  }
  return rows;
}

describe('described profile', () => {
  test('rows do not depend on the partition count; each row sits in its hash partition', () => {
    for (const quirks of [false, true]) {
      const options = { rows: 40_000, seed: 7, quirks, referenceDate: REFERENCE_DATE, firstId: 1000 };
      const one = rowsById(generatePartitions({ ...options, partitions: 1 }));
      const seven = [...generatePartitions({ ...options, partitions: 7 })];
      for (const part of seven) {
        for (let i = 0; i < part.count; i++) assert.equal(hashPartition(part.id[i], 7), part.partition);
      }
      assert.equal(one.size, 40_000);
      assert.deepEqual(rowsById(seven), one, `quirks ${quirks}`);
      assert.deepEqual([...one.keys()].sort((a, b) => Number(a - b))[0], 1000n);
    }
  });

  test('a different seed gives different rows; one partition alone equals its share of the batch', () => {
    const options = { rows: 5_000, partitions: 3, referenceDate: REFERENCE_DATE };
    const a = generatePartition({ ...options, partition: 2, seed: 1 });
    const b = generatePartition({ ...options, partition: 2, seed: 2 });
    assert.deepEqual(a.id, b.id);
    assert.notDeepEqual(a.salary, b.salary);
    const all = [...generatePartitions({ ...options, seed: 1 })];
    assert.deepEqual(all[2], a);
  });

  test('partition by partition, across batches of different shapes, rows stay in their hash partition', () => {
    const shapes = [
      { rows: 5_000, partitions: 3 },
      { rows: 6_000, partitions: 3 },
      { rows: 6_000, partitions: 3, firstId: 10 },
      { rows: 6_000, partitions: 4, firstId: 10 },
    ];
    for (const shape of shapes) {
      let total = 0;
      for (let p = 0; p < shape.partitions; p++) {
        const part = generatePartition({ ...shape, partition: p, referenceDate: REFERENCE_DATE });
        total += part.count;
        for (let i = 0; i < part.count; i++) {
          assert.equal(hashPartition(part.id[i], shape.partitions), p);
          const first = BigInt(shape.firstId ?? 0);
          assert.ok(part.id[i] >= first && part.id[i] < first + BigInt(shape.rows), 'id in the batch');
          if (i > 0) assert.ok(part.id[i] > part.id[i - 1], 'ids ascending');
        }
      }
      assert.equal(total, shape.rows, JSON.stringify(shape));
    }
  });

  test('generateInWorkers yields the same partitions as the single-thread generator', async () => {
    const options = { rows: 30_000, partitions: 5, quirks: true, referenceDate: REFERENCE_DATE };
    const fromWorkers: PartitionColumns[] = [];
    for await (const part of generateInWorkers({ ...options, workers: 2 })) fromWorkers.push(part);
    fromWorkers.sort((x, y) => x.partition - y.partition);
    assert.deepEqual(fromWorkers, [...generatePartitions(options)]);
  });

  test('generateInWorkers stops its workers when the consumer stops early, and reports bad options', async () => {
    for await (const part of generateInWorkers({
      rows: 200_000,
      partitions: 8,
      workers: 2,
      referenceDate: REFERENCE_DATE,
    })) {
      assert.ok(part.count > 0);
      break;
    }
    await assert.rejects(async () => {
      for await (const _ of generateInWorkers({ rows: 10, partitions: 2, partitionList: [2] })) {
        // nothing
      }
    }, /partition must be an integer in \[0, 1\]/);
    await assert.rejects(async () => {
      for await (const _ of generateInWorkers({ rows: 10, workers: Number.NaN })) {
        // nothing
      }
    }, /workers must be a positive integer/);
  });

  test('salary follows the documented formula: group means, noise variance and shape (scipy)', () => {
    const rows = 200_000;
    const [part] = generatePartitions({ rows, referenceDate: REFERENCE_DATE });
    const { noiseVariance, noiseSigma, meanSalary, minAge, maxAge } = describedProfile;
    const groups = (maxAge - minAge + 1) * 2;
    const sum = new Float64Array(groups);
    const n = new Float64Array(groups);
    const residuals = new Float64Array(rows);
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      const age = part.age[i];
      assert.ok(age >= 18 && age <= 80);
      const r = part.salary[i] - meanSalary(age, part.isActive[i] === 1);
      residuals[i] = r / noiseSigma;
      squares += r * r;
      const g = (age - minAge) * 2 + part.isActive[i];
      sum[g] += r;
      n[g]++;
    }
    for (let g = 0; g < groups; g++) {
      assert.ok(n[g] > 1000, `group ${g} has ${n[g]} rows`);
      const limit = (4 * Math.sqrt(noiseVariance)) / Math.sqrt(n[g]);
      assert.ok(
        Math.abs(sum[g] / n[g]) < limit,
        `group ${g}: mean residual ${sum[g] / n[g]} beyond ${limit}`,
      );
    }
    const variance = squares / rows;
    assert.ok(
      Math.abs(variance / noiseVariance - 1) < 0.02,
      `residual variance ${variance} vs ${noiseVariance}`,
    );
    // The noise is a normal clamped to ±4σ: Kolmogorov–Smirnov against scipy's normal CDF,
    // and the exported variance against scipy's closed form.
    const dir = tempDir('lake-described-');
    writeFileSync(join(dir, 'z.bin'), residuals);
    const out = JSON.parse(
      runPython(
        `import sys, json, numpy as np
from scipy import stats
z = np.fromfile(sys.argv[1] + '/z.bin', dtype=np.float64)
c = 4.0
q = stats.norm.sf(c)
v = 1 - 2 * (c * stats.norm.pdf(c) + q) + 2 * c * c * q
print(json.dumps({'p': stats.kstest(z, 'norm').pvalue, 'v': v}))`,
        [dir],
      ),
    );
    assert.ok(out.p > 0.001, `KS p-value ${out.p}`);
    const expected = noiseSigma ** 2 * out.v + 0.01 ** 2 / 12;
    assert.ok(Math.abs(noiseVariance / expected - 1) < 1e-9, `noiseVariance ${noiseVariance} vs ${expected}`);
  });

  test('names, ages, is_active and signup days are uniform over their documented ranges', () => {
    const rows = 126_000;
    const [part] = generatePartitions({ rows, referenceDate: REFERENCE_DATE });
    const check = (label: string, counts: number[], p: number) => {
      const sd = Math.sqrt(rows * p * (1 - p));
      counts.forEach((c, k) => {
        assert.ok(Math.abs(c - rows * p) < 5 * sd, `${label} ${k}: ${c} vs ${rows * p}`);
      });
    };
    const names = [0, 0, 0, 0, 0];
    const ages = new Array(63).fill(0);
    const active = [0, 0];
    const years = new Array(10).fill(0);
    for (let i = 0; i < rows; i++) {
      names[part.nameIndex[i]]++;
      ages[part.age[i] - 18]++;
      active[part.isActive[i]]++;
      const back = REFERENCE_DAY_US - part.signupDate[i];
      assert.equal(back % DAY_US, 0n, 'signup dates are midnights');
      const days = Number(back / DAY_US);
      assert.ok(days >= 0 && days < describedProfile.signupDays, `signup ${days} days back`);
      years[Math.min(9, Math.floor(days / 365.2))]++;
    }
    check('name', names, 1 / 5);
    check('age', ages, 1 / 63);
    check('is_active', active, 1 / 2);
    check('signup year', years, 1 / 10);
  });

  test('columns and neighbouring rows are uncorrelated', () => {
    const rows = 200_000;
    const [part] = generatePartitions({ rows, referenceDate: REFERENCE_DATE });
    const noise = Float64Array.from(
      { length: rows },
      (_, i) => part.salary[i] - describedProfile.meanSalary(part.age[i], part.isActive[i] === 1),
    );
    const days = Float64Array.from(part.signupDate, (us) => Number(us / DAY_US));
    const pairs: [string, ArrayLike<number>, ArrayLike<number>][] = [
      ['age ~ noise', part.age, noise],
      ['age ~ signup', part.age, days],
      ['noise ~ signup', noise, days],
      ['name ~ is_active', part.nameIndex, part.isActive],
      ['noise(id) ~ noise(id + 1)', noise.subarray(0, rows - 1), noise.subarray(1)],
      ['age(id) ~ age(id + 1)', part.age.subarray(0, rows - 1), part.age.subarray(1)],
    ];
    for (const [label, x, y] of pairs) {
      const n = Math.min(x.length, y.length);
      let mx = 0;
      let my = 0;
      for (let i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
      }
      mx /= n;
      my /= n;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) ** 2;
        syy += (y[i] - my) ** 2;
      }
      const r = sxy / Math.sqrt(sxx * syy);
      assert.ok(Math.abs(r) < 5 / Math.sqrt(n), `${label}: correlation ${r}`);
    }
  });

  test('quirks add duplicates, future dates and nulls at the documented rates', () => {
    const rows = 400_000;
    const rates = describedProfile.quirkRates;
    const parts = [
      ...generatePartitions({ rows, partitions: 4, quirks: true, referenceDate: REFERENCE_DATE }),
    ];
    let total = 0;
    let duplicates = 0;
    let future = 0;
    let maxFuture = 0n;
    const nulls = { name: 0, age: 0, salary: 0, signupDate: 0 };
    for (const part of parts) {
      total += part.count;
      for (let i = 0; i < part.count; i++) {
        if (i > 0 && part.id[i] === part.id[i - 1]) {
          duplicates++;
          assert.equal(part.salary[i], part.salary[i - 1]);
          assert.equal(part.signupDate[i], part.signupDate[i - 1]);
          continue;
        }
        for (const column of ['name', 'age', 'salary', 'signupDate'] as const) {
          const valid = part.validity[column];
          if (valid && !valid[i]) nulls[column]++;
        }
        if (part.validity.signupDate?.[i] === 0) assert.equal(part.signupDate[i], 0n);
        if (part.validity.salary?.[i] === 0) assert.equal(part.salary[i], 0);
        if (part.signupDate[i] > REFERENCE_DAY_US) {
          future++;
          if (part.signupDate[i] > maxFuture) maxFuture = part.signupDate[i];
        }
      }
    }
    assert.equal(total, rows + duplicates);
    const near = (label: string, count: number, rate: number) => {
      const sd = Math.sqrt(rows * rate * (1 - rate));
      assert.ok(Math.abs(count - rows * rate) < 5 * sd, `${label}: ${count} vs ${rows * rate}`);
    };
    near('duplicates', duplicates, rates.duplicate);
    near('future signups', future, rates.futureSignup * (1 - rates.null));
    for (const [column, count] of Object.entries(nulls)) near(`null ${column}`, count, rates.null);
    assert.ok(maxFuture <= REFERENCE_DAY_US + BigInt(describedProfile.futureSignupMaxDays) * DAY_US);
    assert.ok(maxFuture > REFERENCE_DAY_US + BigInt(describedProfile.futureSignupMaxDays - 30) * DAY_US);
  });

  test('without quirks there are no nulls, duplicates or future dates', () => {
    const [part] = generatePartitions({ rows: 50_000, referenceDate: REFERENCE_DATE });
    assert.deepEqual(part.validity, {});
    for (let i = 0; i < part.count; i++) {
      assert.equal(part.id[i], BigInt(i));
      assert.ok(part.signupDate[i] <= REFERENCE_DAY_US);
      assert.ok(part.salary[i] >= 0);
    }
  });
});
