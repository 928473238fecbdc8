import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPython, tempDir } from '@lakestream/testkit';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { employeesFromArrow } from './arrow-in';
import { cleanToArrow } from './arrow-out';
import { cleanPartition } from './clean';
import { EtlInputError } from './errors';

/** pyarrow writes the same rows with a given set of types; we read them and compare with its own values. */
function pyarrowTable(dir: string, variant: string): { file: string; expected: Record<string, unknown>[] } {
  const script = `
import pyarrow as pa, json, sys, datetime
variant = sys.argv[2]
n = 1000
ids = [i * 3 for i in range(n)]
names = [None if i % 97 == 0 else ["Alice", "Bob", "Zoë", "David", "Eve"][i % 5] for i in range(n)]
ages = [None if i % 89 == 0 else 18 + i % 63 for i in range(n)]
sal = [None if i % 83 == 0 else 30000 + i * 17.25 for i in range(n)]
base = datetime.datetime(2020, 1, 1)
dates = [None if i % 79 == 0 else base + datetime.timedelta(days=i, seconds=i) for i in range(n)]
act = [None if i % 73 == 0 else i % 2 == 0 for i in range(n)]
unit = {"ns": "ns", "us": "us", "ms": "ms"}.get(variant, "us")
cols = {
  "id": pa.array(ids, pa.int32() if variant == "int32" else pa.int64()),
  "name": pa.array(names, pa.string()).dictionary_encode() if variant == "dict" else pa.array(names, pa.large_string() if variant == "large" else pa.string()),
  "age": pa.array(ages, pa.int64() if variant == "int32" else pa.int32()),
  "salary": pa.array(sal, pa.float64()),
  "signup_date": pa.array([d.date() if d else None for d in dates], pa.date32()) if variant == "date" else pa.array(dates, pa.timestamp(unit)),
  "is_active": pa.array(act, pa.bool_()),
  "extra": pa.array(range(n)),
}
t = pa.table(cols)
t = pa.concat_tables([t.slice(0, 400), t.slice(400)])  # two record batches
with pa.OSFile(sys.argv[1], "wb") as f:
  with pa.ipc.new_stream(f, t.schema) as w:
    for b in t.to_batches(max_chunksize=300): w.write_batch(b)
def us(d):
  if d is None: return None
  if variant == "date": return int(datetime.datetime.combine(d.date(), datetime.time()).replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000000
  v = int(d.replace(tzinfo=datetime.timezone.utc).timestamp()) * 1000000
  return v
print(json.dumps([dict(id=ids[i], name=names[i], age=ages[i], salary=sal[i], signup=us(dates[i]), active=act[i]) for i in range(n)]))
`;
  const file = join(dir, `${variant}.arrows`);
  const expected = JSON.parse(runPython(script, [file, variant]));
  return { file, expected };
}

for (const variant of ['us', 'ns', 'ms', 'date', 'dict', 'large', 'int32']) {
  test(`raw columns from pyarrow (${variant}) read with the right values and nulls`, () => {
    const { file, expected } = pyarrowTable(tempDir(), variant);
    const c = employeesFromArrow(tableFromIPC(readFileSync(file)), file);
    assert.equal(c.length, expected.length);
    expected.forEach((e, i) => {
      const present = (field: string, v: unknown) =>
        (c.valid[field as 'id'] ? c.valid[field as 'id']![i] === 1 : true) === (v !== null);
      assert.equal(Number(c.id[i]), e.id);
      assert.ok(present('name', e.name), `name null at ${i}`);
      if (e.name !== null) assert.equal(c.name.dictionary[c.name.codes[i]!], e.name);
      assert.ok(present('age', e.age));
      if (e.age !== null) assert.equal(c.age[i], e.age);
      if (e.salary !== null) assert.equal(c.salary[i], e.salary);
      assert.ok(present('signup_date', e.signup));
      if (e.signup !== null) assert.equal(Number(c.signupUs[i]), e.signup, `signup at ${i}`);
      assert.ok(present('is_active', e.active));
      if (e.active !== null) assert.equal(c.isActive[i], e.active ? 1 : 0);
    });
  });
}

test('a missing column or a wrong type is refused naming the file and the column', () => {
  const dir = tempDir();
  const file = join(dir, 'bad.arrows');
  runPython(
    `import pyarrow as pa, sys
t = pa.table({"id": pa.array([1], pa.int64()), "name": pa.array([1.5]), "age": pa.array([20], pa.int32()), "salary": pa.array([1.0]), "signup_date": pa.array([1], pa.timestamp("us")), "is_active": pa.array([True])})
with pa.OSFile(sys.argv[1], "wb") as f:
  with pa.ipc.new_stream(f, t.schema) as w: w.write_table(t)
t2 = t.drop_columns(["age"])
with pa.OSFile(sys.argv[1] + ".2", "wb") as f:
  with pa.ipc.new_stream(f, t2.schema) as w: w.write_table(t2)`,
    [file],
  );
  assert.throws(
    () => employeesFromArrow(tableFromIPC(readFileSync(file)), '/lake/d/raw/batch=b/part-00001.parquet'),
    (e: unknown) =>
      e instanceof EtlInputError &&
      e.message ===
        '/lake/d/raw/batch=b/part-00001.parquet, column name: expected a string (utf8, large utf8 or dictionary of utf8), found Float64',
  );
  assert.throws(
    () => employeesFromArrow(tableFromIPC(readFileSync(`${file}.2`)), 'x.parquet'),
    /x\.parquet, column age: missing required column/,
  );
});

test('the clean table keeps the kept rows, renames name to full_name and flags future dates', () => {
  const { file } = pyarrowTable(tempDir(), 'dict');
  const c = employeesFromArrow(tableFromIPC(readFileSync(file)), file);
  const cleaned = cleanPartition(c, { nowUs: BigInt(Date.UTC(2021, 0, 1)) * 1000n, futurePolicy: 'flag' });
  const t = cleanToArrow(c, cleaned);
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ['id', 'full_name', 'age', 'salary', 'signup_date', 'is_active', 'signup_in_future'],
  );
  assert.equal(t.numRows, cleaned.keep.length);
  // Read the clean table back through IPC, with `full_name` under its raw name.
  const copy = tableFromIPC(tableToIPC(t));
  const back = employeesFromArrow(
    copy
      .select(['id', 'age', 'salary', 'signup_date', 'is_active'])
      .assign(new Table({ name: copy.getChild('full_name')! })),
    'clean',
  );
  for (let k = 0; k < cleaned.keep.length; k += 37) {
    const r = cleaned.keep[k]!;
    assert.equal(back.id[k], c.id[r]);
    assert.equal(back.name.dictionary[back.name.codes[k]!], c.name.dictionary[c.name.codes[r]!]);
    assert.equal(back.signupUs[k], c.signupUs[r]);
    assert.equal(back.isActive[k], c.isActive[r]);
    assert.equal(
      t.getChild('signup_in_future')!.get(k),
      c.signupUs[r]! > BigInt(Date.UTC(2021, 0, 1)) * 1000n,
    );
  }
});
