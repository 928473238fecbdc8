import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalFileSource } from '@lakestream/columnar';
import { runPython, tempDir } from '@lakestream/testkit';
import { studyQuery1 } from './study-query1';

/**
 * Three clean-shaped partitions whose 300 salaries repeat, so one (name, salary) pair has
 * several ids spread over the files, and DuckDB's answers over them: the study's Query 1
 * (min id per pair, top 10 by salary, ties by id) and the same without dropping pairs.
 */
const FILES_AND_REFERENCE = `
import duckdb, json, sys
out = sys.argv[1]
con = duckdb.connect()
files = []
for f in range(3):
    path = f"{out}/part-{f:05d}.parquet"
    con.execute(f"""copy (
      select (i * 3 + {f})::bigint as id,
        (['Alice', 'Bob', 'Charlie', 'David', 'Eve'])[1 + (i * 31 + {f} * 7) % 5] as full_name,
        (18 + i % 47)::int as age,
        (100000.5 + (i * 7919 + {f} * 13) % 300)::double as salary,
        timestamp '2020-01-01' + to_days((i % 3650)::int) as signup_date,
        (i + {f}) % 2 = 0 as is_active
      from range(1500) t(i)) to '{path}' (format parquet, row_group_size 400)""")
    files.append(path)
row = lambda r: dict(id=r[0], full_name=r[1], age=r[2], salary=r[3], signup_date=r[4], is_active=r[5])
cols = "id, full_name, age, salary, epoch_ms(signup_date), is_active"
study = con.execute(f"""select {cols} from (
  select *, row_number() over (partition by full_name, salary order by id) as k from read_parquet(?)
) where k = 1 order by salary desc, id limit 10""", [files]).fetchall()
plain = con.execute(f"select {cols} from read_parquet(?) order by salary desc, id limit 10", [files]).fetchall()
print(json.dumps(dict(files=files, study=[row(r) for r in study], plain=[row(r) for r in plain])))
`;

interface Reference {
  files: string[];
  study: unknown[];
  plain: unknown[];
}

let reference: Reference | undefined;
const data = (): Reference => {
  reference ??= JSON.parse(runPython(FILES_AND_REFERENCE, [tempDir('lake-q1-')])) as Reference;
  return reference;
};
const open = (file: string) => new LocalFileSource(file);

test("the study's Query 1 equals DuckDB: (full_name, salary) duplicates dropped keeping the lowest id", async () => {
  const { files, study, plain } = data();
  assert.notDeepEqual(study, plain, 'the data has (name, salary) pairs repeated among the top rows');
  const got = await studyQuery1(files, open);
  assert.deepEqual(got.rows, study);
  assert.equal(got.files, 3);
  assert.equal(got.rowsScanned, 4500);
  assert.equal(got.perPartition, 200);
});

test('a per-partition k too small to prove the answer is raised until it is, with the same answer', async () => {
  const { files, study } = data();
  const got = await studyQuery1(files, open, { firstK: 2, concurrency: 1 });
  assert.deepEqual(got.rows, study);
  assert.ok(got.perPartition > 2, `k was raised (${got.perPartition})`);
  await assert.rejects(studyQuery1([join(tempDir(), 'missing.parquet')], open), /missing\.parquet|ENOENT/);
});
