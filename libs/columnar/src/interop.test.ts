import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import {
  Bool,
  DataType,
  DateDay,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';
import { float64Column } from './columns';
import { readParquetColumns } from './row-group-reader';
import { LocalFileSink, LocalFileSource } from './source';
import { type ParquetCompression, writeParquetToSink } from './writer';

/** A column as pyarrow / DuckDB report it: integers of timestamps and dates as strings, for exactness. */
type Dumped = Record<string, { type: string; values: (string | number | boolean | null)[] }>;

/** Our values in the same form: raw integers (in the column's unit) as strings. */
function dumpOurs(table: Table): Dumped {
  const out: Dumped = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const values: (string | number | boolean | null)[] = [];
    for (const data of vector.data) {
      for (let i = 0; i < data.length; i++) {
        if (!data.getValid(i)) {
          values.push(null);
          continue;
        }
        const raw =
          DataType.isInt(field.type) || DataType.isTimestamp(field.type) || DataType.isDate(field.type);
        if (raw) values.push(String(data.values[i]));
        else values.push(vector.get(values.length) as string | number | boolean);
      }
    }
    out[field.name] = { type: String(field.type), values };
  }
  return out;
}

const DUMP = `
import json, sys, pyarrow as pa, pyarrow.parquet as pq
def dump(t):
    out = {}
    for name in t.column_names:
        col = t.column(name).combine_chunks()
        typ = col.type
        if pa.types.is_dictionary(typ):
            col = col.cast(typ.value_type)
        if pa.types.is_timestamp(col.type) or pa.types.is_date32(col.type):
            vals = [None if v is None else str(v) for v in col.cast(pa.int64() if pa.types.is_timestamp(col.type) else pa.int32()).to_pylist()]
        elif pa.types.is_integer(col.type):
            vals = [None if v is None else str(v) for v in col.to_pylist()]
        else:
            vals = col.to_pylist()
        out[name] = {"type": str(typ), "values": vals}
    return out
`;

test('reads files written by pyarrow and DuckDB with the values they report', () => {
  const dir = tempDir('columnar-interop-');
  const reference = JSON.parse(
    runPython(
      `${DUMP}
import duckdb, numpy as np, datetime as dt
d = sys.argv[1]
n = 2500
rng = np.random.default_rng(7)
base = np.datetime64('2020-02-29T12:34:56.123456789', 'ns').astype(np.int64)
ts = base + rng.integers(-10**17, 10**17, n)
mask = rng.random(n) < 0.1
def nulls(a, m): return pa.array(a, mask=m)
t = pa.table({
  'i32': nulls(rng.integers(-2**31, 2**31 - 1, n, dtype=np.int32), mask),
  'i64': pa.array(rng.integers(-2**62, 2**62, n, dtype=np.int64)),
  'f64': nulls(rng.normal(size=n), rng.random(n) < 0.05),
  'ts_ns': pa.array(ts, type=pa.timestamp('ns')),
  'ts_us_utc': pa.array(ts // 1000, type=pa.timestamp('us', tz='UTC')),
  'ts_ms': nulls(ts // 1000000, mask).cast(pa.timestamp('ms')),
  'day': pa.array(rng.integers(-20000, 40000, n, dtype=np.int32)).cast(pa.date32()),
  'name': pa.array([None if i % 17 == 0 else 'név-%d' % (i % 40) for i in range(n)]).dictionary_encode(),
  'plain': pa.array(['s%d' % i for i in range(n)]),
  'flag': nulls(rng.random(n) < 0.5, rng.random(n) < 0.1),
})
pq.write_table(t, d + '/pyarrow.parquet', row_group_size=700)
con = duckdb.connect()
con.register('t', t)
con.execute(f"COPY (SELECT * FROM t) TO '{d}/duckdb.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1024)")
md = pq.ParquetFile(d + '/duckdb.parquet').metadata
print(json.dumps({'pyarrow': dump(pq.read_table(d + '/pyarrow.parquet')),
                  'duckdb': dump(pq.read_table(d + '/duckdb.parquet')),
                  'groups': [pq.ParquetFile(d + '/pyarrow.parquet').metadata.num_row_groups, md.num_row_groups]}))
`,
      [dir],
    ),
  ) as { pyarrow: Dumped; duckdb: Dumped; groups: number[] };
  assert.ok(reference.groups[0]! > 1 && reference.groups[1]! > 1, `several row groups: ${reference.groups}`);
  return (async () => {
    for (const writer of ['pyarrow', 'duckdb'] as const) {
      const source = new LocalFileSource(join(dir, `${writer}.parquet`));
      const table = await readParquetColumns(source);
      const ours = dumpOurs(table);
      const theirs = reference[writer];
      assert.deepEqual(Object.keys(ours), Object.keys(theirs), writer);
      for (const name of Object.keys(theirs)) {
        assert.deepEqual(
          ours[name]!.values,
          theirs[name]!.values,
          `${writer} ${name} (${theirs[name]!.type})`,
        );
      }
      // Timestamps through the kernels' view: epoch milliseconds.
      const ms = float64Column(table, 'ts_ns').values;
      const first = Number(BigInt(theirs.ts_ns!.values[0] as string) / 1000n) / 1000;
      assert.ok(Math.abs(ms[0]! - first) < 1e-3, `${writer} ts_ns as ms ${ms[0]} vs ${first}`);
      // A projected read (schema and ARROW:schema cut down) gives the same types and values.
      const projected = await readParquetColumns(source, { columns: ['ts_us_utc', 'name', 'i32'] });
      assert.deepEqual(
        projected.schema.fields.map((f) => `${f.name}: ${f.type}`),
        ['ts_us_utc', 'name', 'i32'].map((n) => `${n}: ${table.getChild(n)!.type}`),
      );
      assert.deepEqual(dumpOurs(projected).name, ours.name);
      const days = float64Column(table, 'day').values;
      assert.equal(days[0], Number(theirs.day!.values[0]) * 86_400_000);
      await source.close();
    }
  })();
});

function studyTable(n: number): Table {
  const id = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 7919n - 1000n);
  const age = Int32Array.from({ length: n }, (_, i) => 18 + ((i * 31) % 63));
  const salary = Float64Array.from({ length: n }, (_, i) => 30000 + ((i * 7.31) % 90000) + i / 1e3);
  const salaryValid = new Uint8Array((n + 7) >> 3);
  let salaryNulls = 0;
  for (let i = 0; i < n; i++) {
    if (i % 13 === 5) salaryNulls++;
    else salaryValid[i >> 3]! |= 1 << (i & 7);
  }
  const signup = BigInt64Array.from(
    { length: n },
    (_, i) => 1_600_000_000_000_000n + BigInt(i) * 86_400_123_457n,
  );
  const days = Int32Array.from({ length: n }, (_, i) => 18000 + (i % 4000));
  const active = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (i % 3 !== 0) active[i >> 3]! |= 1 << (i & 7);
  const names = ['Ana Silva', 'Bo Chen', 'Chloé Dubois', 'Dan O’Neil'];
  const encoder = new TextEncoder();
  const parts = Array.from({ length: n }, (_, i) => encoder.encode(`${names[i % 4]} ${i % 97}`));
  const offsets = new Int32Array(n + 1);
  parts.forEach((p, i) => {
    offsets[i + 1] = offsets[i]! + p.length;
  });
  const bytes = new Uint8Array(offsets[n]!);
  for (let i = 0; i < n; i++) bytes.set(parts[i]!, offsets[i]!);
  const columns = {
    id: makeVector(makeData({ type: new Int64(), length: n, data: id })),
    name: makeVector(makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes })),
    age: makeVector(makeData({ type: new Int32(), length: n, data: age })),
    salary: makeVector(
      makeData({
        type: new Float64(),
        length: n,
        data: salary,
        nullBitmap: salaryValid,
        nullCount: salaryNulls,
      }),
    ),
    signup_date: makeVector(makeData({ type: new TimestampMicrosecond(), length: n, data: signup })),
    joined: makeVector(makeData({ type: new DateDay(), length: n, data: days })),
    is_active: makeVector(makeData({ type: new Bool(), length: n, data: active })),
  };
  return new Table(columns);
}

test('files we write read back in pyarrow and DuckDB with the same values', async () => {
  const dir = tempDir('columnar-write-');
  const table = studyTable(5000);
  const ours = dumpOurs(table);
  const cases: { compression: ParquetCompression; codec: string }[] = [
    { compression: 'snappy', codec: 'SNAPPY' },
    { compression: 'zstd', codec: 'ZSTD' },
    { compression: 'none', codec: 'UNCOMPRESSED' },
  ];
  for (const c of cases) {
    await writeParquetToSink(table, new LocalFileSink(join(dir, `${c.compression}.parquet`)), {
      compression: c.compression,
      rowGroupRows: 1500,
    });
  }
  const out = JSON.parse(
    runPython(
      `${DUMP}
import duckdb
d = sys.argv[1]
res = {}
for c in sys.argv[2:]:
    p = f'{d}/{c}.parquet'
    f = pq.ParquetFile(p)
    md = f.metadata
    stats = md.row_group(0).column(0).statistics
    res[c] = {
      'pyarrow': dump(pq.read_table(p)),
      'duckdb': dump(duckdb.connect().sql(f"SELECT * FROM read_parquet('{p}')").to_arrow_table()),
      'groups': md.num_row_groups,
      'codec': md.row_group(0).column(0).compression,
      'stats': [stats.has_min_max, str(stats.min), str(stats.max), stats.null_count],
      'salary_nulls': md.row_group(0).column(3).statistics.null_count,
    }
print(json.dumps(res))
`,
      [dir, ...cases.map((c) => c.compression)],
    ),
  ) as Record<
    string,
    { pyarrow: Dumped; duckdb: Dumped; groups: number; codec: string; stats: unknown[]; salary_nulls: number }
  >;
  for (const c of cases) {
    const r = out[c.compression]!;
    assert.equal(r.groups, 4, `${c.compression}: 5000 rows in groups of 1500`);
    assert.equal(r.codec, c.codec);
    const ids = (ours.id!.values.slice(0, 1500) as string[]).map(BigInt);
    const min = ids.reduce((a, b) => (b < a ? b : a));
    const max = ids.reduce((a, b) => (b > a ? b : a));
    assert.deepEqual(r.stats, [true, String(min), String(max), 0]);
    assert.equal(
      r.salary_nulls,
      (ours.salary!.values.slice(0, 1500) as unknown[]).filter((v) => v === null).length,
    );
    for (const reader of ['pyarrow', 'duckdb'] as const) {
      for (const name of Object.keys(ours)) {
        const theirs = r[reader][name];
        assert.ok(theirs, `${reader} has ${name}`);
        assert.deepEqual(
          theirs.values,
          ours[name]!.values,
          `${c.compression} ${reader} ${name} (${theirs.type})`,
        );
      }
    }
  }
});
