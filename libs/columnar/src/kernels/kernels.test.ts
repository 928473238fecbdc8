import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { type Table, tableFromIPC } from 'apache-arrow';
import { float64Column, stringColumn } from '../columns';
import { readParquetColumns } from '../row-group-reader';
import { LocalFileSource } from '../source';
import { filterIndices } from './filter';
import { columnMoments, mergeMoments, variance } from './moments';
import { nullCount } from './null-count';
import { take } from './take';
import { takeTable } from './take-table';
import { topK } from './top-k';

const dir = tempDir('columnar-kernels-');
const N = 20_000;

/** Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const rand = random(42);
// Many ties (values rounded to 1/8) and ~7% nulls (NaN), ids shuffled so tie-breaks matter.
const values = Float64Array.from({ length: N }, () =>
  rand() < 0.07 ? Number.NaN : Math.round(rand() * 800) / 8 - 50,
);
const ids = Float64Array.from({ length: N }, (_, i) => (i * 7919) % N);
writeFileSync(join(dir, 'values.bin'), values);
writeFileSync(join(dir, 'ids.bin'), ids);

const ref = JSON.parse(
  runPython(
    `
import sys, json, numpy as np
d = sys.argv[1]
v = np.fromfile(d + '/values.bin', dtype='<f8'); ids = np.fromfile(d + '/ids.bin', dtype='<f8')
ok = ~np.isnan(v); x = v[ok]; idx = np.arange(len(v))[ok]
desc = idx[np.lexsort((idx, ids[ok], -x))][:25]
asc = idx[np.lexsort((idx, ids[ok], x))][:25]
print(json.dumps({'count': int(ok.sum()), 'nulls': int((~ok).sum()), 'min': float(x.min()), 'max': float(x.max()),
  'mean': float(x.mean()), 'var0': float(x.var()), 'var1': float(x.var(ddof=1)),
  'desc': desc.tolist(), 'asc': asc.tolist(), 'filtered': np.nonzero(ok & (v > 10))[0].tolist()}))
`,
    [dir],
  ),
);

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

test('moments of parts merge to numpy’s count, min, max, mean and variance of the whole', () => {
  const cuts = [0, 1234, 9000, 9001, N];
  let merged = columnMoments(values.subarray(0, 0));
  for (let k = 0; k + 1 < cuts.length; k++) {
    merged = mergeMoments(merged, columnMoments(values.subarray(cuts[k]!, cuts[k + 1]!)));
  }
  const whole = columnMoments(values);
  for (const m of [merged, whole]) {
    assert.equal(m.count, ref.count);
    assert.equal(m.nulls, ref.nulls);
    assert.equal(m.min, ref.min);
    assert.equal(m.max, ref.max);
    close(m.mean, ref.mean, 'mean');
    close(variance(m), ref.var0, 'variance');
    close(variance(m, 1), ref.var1, 'sample variance');
  }
  // A validity mask counts as nulls exactly like NaN does.
  const valid = Uint8Array.from(values, (v) => (Number.isNaN(v) ? 0 : 1));
  const zeroed = values.map((v) => (Number.isNaN(v) ? 0 : v));
  assert.deepEqual(columnMoments(zeroed, valid), whole);
  assert.equal(nullCount(valid), ref.nulls);
  assert.equal(nullCount(null), 0);
});

test('topK matches numpy’s lexsort with id then row as tie-breaks, both orders', () => {
  assert.deepEqual(Array.from(topK(values, 25, { tieBreak: ids })), ref.desc);
  assert.deepEqual(Array.from(topK(values, 25, { tieBreak: ids, order: 'asc' })), ref.asc);
  assert.equal(topK(values, 0).length, 0);
  assert.equal(topK(values, N * 2).length, ref.count);
});

test('filterIndices and take agree with numpy boolean indexing', () => {
  const picked = filterIndices(N, (i) => values[i]! > 10);
  assert.deepEqual(Array.from(picked), ref.filtered);
  const taken = take(values, picked);
  assert.ok(taken instanceof Float64Array);
  assert.deepEqual(
    Array.from(taken),
    ref.filtered.map((i: number) => values[i]),
  );
  assert.deepEqual(Array.from(take(new BigInt64Array([5n, 6n, 7n]), new Uint32Array([2, 0]))), [7n, 5n]);
  assert.throws(() => take(values, new Uint32Array([N])), RangeError);
});

test('takeTable and the column views match pyarrow’s take on the same file', async () => {
  const file = join(dir, 'mixed.parquet');
  const indices = [5, 0, 1999, 17, 17, 1234, 3, 1500];
  const out = JSON.parse(
    runPython(
      `
import sys, json, base64, numpy as np, pyarrow as pa, pyarrow.parquet as pq
n = 2000; rng = np.random.default_rng(5)
t = pa.table({
  'id': pa.array(np.arange(n, dtype=np.int64) * 1000003),
  'name': pa.array([None if i % 9 == 0 else 'nm%d' % (i % 13) for i in range(n)]).dictionary_encode(),
  'city': pa.array([None if i % 11 == 0 else 'c-%d' % i for i in range(n)]),
  'salary': pa.array(rng.normal(size=n), mask=rng.random(n) < 0.2),
  'signup': pa.array(rng.integers(0, 2**50, n), type=pa.timestamp('us')),
  'active': pa.array(rng.random(n) < 0.5, mask=rng.random(n) < 0.1),
})
pq.write_table(t, sys.argv[1], row_group_size=600)
taken = pq.read_table(sys.argv[1]).take(pa.array(json.loads(sys.argv[2])))
sink = pa.BufferOutputStream()
with pa.ipc.new_stream(sink, taken.schema) as w: w.write_table(taken)
print(json.dumps({'ipc': base64.b64encode(sink.getvalue().to_pybytes()).decode(),
  'name_nulls': t['name'].null_count, 'city': t['city'].to_pylist(), 'salary_mean': float(np.nanmean(t['salary'].to_numpy(zero_copy_only=False)))}))
`,
      [file, JSON.stringify(indices)],
    ),
  );
  const source = new LocalFileSource(file);
  const table = await readParquetColumns(source);
  await source.close();
  assert.ok(table.batches.length > 1, 'several row groups make several batches');
  const ours = takeTable(table, Uint32Array.from(indices));
  const theirs: Table = tableFromIPC(Buffer.from(out.ipc, 'base64'));
  const rows = (t: Table) =>
    t.toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}` : v)));
  assert.deepEqual(rows(ours), rows(theirs));

  const city = stringColumn(table, 'city');
  assert.deepEqual(
    Array.from(city.codes, (c) => (c < 0 ? null : city.dictionary[c])),
    out.city,
  );
  assert.equal(stringColumn(table, 'name').nullCount, out.name_nulls);
  const salary = float64Column(table, 'salary');
  close(columnMoments(salary.values, salary.valid).mean, out.salary_mean, 'salary mean');
});
