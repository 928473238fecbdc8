import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readParquetColumns } from '@lakestream/columnar';
import { hashPartition } from '@lakestream/dataset';
import {
  BadRowsError,
  BatchConflictError,
  type BatchManifestFile,
  InputFileError,
  type PublishDeps,
  publishFiles,
} from '@lakestream/publish';
import { runPython, tempDir } from '@lakestream/testkit';
import { lake, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';
import { rawDescriptors } from './helpers';

const HEADER = 'id,name,age,salary,signup_date,is_active';

/** A CSV of `n` rows with nulls, quoted names holding commas and quotes, and mixed date formats. */
function csvText(n: number, firstId = 1): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const id = firstId + i * 7;
    const name = i % 11 === 0 ? '' : i % 5 === 0 ? `"O""Neil, ${i}"` : `name${i % 97}`;
    const age = i % 13 === 0 ? '' : String(18 + (i % 60));
    const salary = i % 17 === 0 ? '' : (30000 + i * 1.25).toFixed(2);
    const date =
      i % 19 === 0 ? '' : i % 2 ? `2021-0${1 + (i % 9)}-1${i % 10}` : `2022-03-04 0${i % 10}:1${i % 6}:00`;
    const active = i % 23 === 0 ? '' : i % 3 ? 'true' : '0';
    lines.push([id, name, age, salary, date, active].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('publishing files into the lake', () => {
  const config = stackConfig();
  const clients = lake(config);
  const dataset = uniqueName('ingest');
  const dir = tempDir('ingest-files-');
  let deps: PublishDeps;

  before(async () => {
    deps = {
      hdfs: clients.hdfs,
      producer: await clients.producer(),
      paths: clients.paths,
      producerName: 'test',
    };
  });
  after(async () => {
    await clients.close();
    clients.hdfs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const manifestOf = async (batch: string) =>
    clients.readJson<BatchManifestFile>(clients.paths.manifest(dataset, batch));

  /** Each partition file: its checksum matches the manifest, and every id hashes to its partition. */
  async function checkPartitions(m: BatchManifestFile): Promise<number> {
    let rows = 0;
    assert.equal(m.files.length, m.partitions);
    for (const f of m.files) {
      const bytes = await clients.hdfs.readFile(f.path, { maxBytes: 1 << 30 });
      assert.equal(createHash('sha256').update(bytes).digest('hex'), f.checksum, f.path);
      assert.equal(bytes.byteLength, f.bytes);
      const table = await readParquetColumns(clients.hdfs.source(f.path), { columns: ['id'] });
      assert.equal(table.numRows, f.rows);
      for (const id of table.getChild('id')!.toArray() as BigInt64Array)
        assert.equal(hashPartition(id, m.partitions), f.partition, `id ${id} in ${f.path}`);
      rows += f.rows;
    }
    return rows;
  }

  /** The published rows equal what pandas reads from the CSV (pyarrow reads the partitions). */
  async function sameAsPandas(m: BatchManifestFile, csvPaths: string[]): Promise<void> {
    const local = await clients.download(
      m.files.map((f) => f.path),
      dir,
    );
    const out = runPython(
      `
import sys, json, pandas as pd, pyarrow.parquet as pq, pyarrow as pa
n = int(sys.argv[1])
csvs, parts = sys.argv[2:2+n], sys.argv[2+n:]
want = pd.concat([pd.read_csv(p, keep_default_na=False, na_values=[''], dtype={'name': 'string'}) for p in csvs])
want['signup_date'] = pd.to_datetime(want['signup_date'], format='mixed')
want['is_active'] = want['is_active'].map({'true': True, '0': False, 'True': True, 'False': False, True: True, False: False}).astype('boolean')
got = pa.concat_tables([pq.read_table(p) for p in parts]).to_pandas()
types = {f.name: str(f.type) for f in pq.read_schema(parts[0])}
want = want.sort_values('id').reset_index(drop=True)
got = got.sort_values('id').reset_index(drop=True)
assert len(want) == len(got), (len(want), len(got))
assert (want['id'].values == got['id'].values).all()
assert want['name'].fillna('<null>').tolist() == got['name'].astype('string').fillna('<null>').tolist()
for c in ['age', 'salary']:
    assert want[c].isna().tolist() == got[c].isna().tolist(), c
    assert (want[c].dropna().values == got[c].dropna().values).all(), c
assert want['signup_date'].isna().tolist() == got['signup_date'].isna().tolist()
assert (want['signup_date'].dropna().values == got['signup_date'].dropna().values).all()
assert want['is_active'].isna().tolist() == got['is_active'].isna().tolist()
assert (want['is_active'].dropna().values == got['is_active'].dropna().astype(bool).values).all()
print(json.dumps({'rows': len(got), 'types': types}))
`,
      [String(csvPaths.length), ...csvPaths, ...local],
    );
    const summary = JSON.parse(out) as { rows: number; types: Record<string, string> };
    assert.equal(summary.rows, m.rows);
    assert.deepEqual(summary.types, {
      id: 'int64',
      name: 'dictionary<values=string, indices=int32, ordered=0>',
      age: 'int32',
      salary: 'double',
      signup_date: 'timestamp[us]',
      is_active: 'bool',
    });
  }

  it('publishes CSV files re-partitioned by id hash, as pandas reads them; the same again is a no-op; other content is refused', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, csvText(3000));
    writeFileSync(b, csvText(1234, 1_000_000));
    const result = await publishFiles(deps, { dataset, batch: 'csv', files: [a, b], partitions: 4 });
    assert.equal(result.outcome, 'published');
    assert.equal(result.rows, 4234);
    assert.equal(result.badRowCount, 0);
    const m = (await manifestOf('csv'))!;
    assert.equal(m.source.kind, 'files');
    assert.deepEqual(m.source.files, [a, b]);
    assert.equal(await checkPartitions(m), 4234);
    await sameAsPandas(m, [a, b]);

    const again = await publishFiles(deps, { dataset, batch: 'csv', files: [a, b], partitions: 4 });
    assert.equal(again.outcome, 'unchanged');
    writeFileSync(b, csvText(1235, 1_000_000));
    await assert.rejects(
      publishFiles(deps, { dataset, batch: 'csv', files: [a, b], partitions: 4 }),
      BatchConflictError,
    );
  });

  it('publishes a Parquet file written by pyarrow, with its row groups spread over the partitions', async () => {
    const path = join(dir, 'in.parquet');
    runPython(
      `
import sys, datetime, pyarrow as pa, pyarrow.parquet as pq
n = 10000
ids = pa.array(range(5, 5 + 3 * n, 3), pa.int64())
names = pa.array([None if i % 9 == 0 else f'p{i % 50}' for i in range(n)], pa.string())
ages = pa.array([None if i % 7 == 0 else 20 + i % 40 for i in range(n)], pa.int64())
sal = pa.array([1000.5 + i for i in range(n)], pa.float64())
base = datetime.datetime(2020, 1, 1)
dates = pa.array([base + datetime.timedelta(seconds=i * 3607, microseconds=i) for i in range(n)], pa.timestamp('us'))
active = pa.array([None if i % 10 == 0 else i % 2 == 0 for i in range(n)], pa.bool_())
t = pa.table({'id': ids, 'name': names, 'age': ages, 'salary': sal, 'signup_date': dates, 'is_active': active})
pq.write_table(t, sys.argv[1], row_group_size=3000)
`,
      [path],
    );
    const result = await publishFiles(deps, { dataset, batch: 'pq', files: [path], partitions: 3 });
    assert.equal(result.rows, 10000);
    const m = (await manifestOf('pq'))!;
    assert.equal(await checkPartitions(m), 10000);
    const local = await clients.download(
      m.files.map((f) => f.path),
      dir,
    );
    const same = runPython(
      `
import sys, pyarrow as pa, pyarrow.parquet as pq
want = pq.read_table(sys.argv[1]).sort_by('id')
got = pa.concat_tables([pq.read_table(p) for p in sys.argv[2:]]).sort_by('id')
for c in want.column_names:
    w, g = want[c].to_pylist(), got[c].to_pylist()
    assert w == g, (c, [x for x in zip(w, g) if x[0] != x[1]][:3])
print('same')
`,
      [path, ...local],
    );
    assert.equal(same.trim(), 'same');
  });

  it('refuses a ragged CSV naming file and line, and publishes nothing (no manifest, no partition, no descriptor)', async () => {
    const path = join(dir, 'ragged.csv');
    writeFileSync(path, `${HEADER}\n1,a,30,1.5,2024-01-01,true\n2,b,31,1.5\n3,c,32,1.5,2024-01-01,false\n`);
    await assert.rejects(
      publishFiles(deps, { dataset, batch: 'ragged', files: [path], partitions: 2 }),
      (e: unknown) => {
        assert.ok(e instanceof BadRowsError);
        assert.match(e.message, /ragged\.csv, line 3: expected 6 fields, found 4/);
        return true;
      },
    );
    assert.equal(await clients.hdfs.exists(clients.paths.manifest(dataset, 'ragged')), false);
    assert.equal(await clients.hdfs.exists(clients.paths.rawPartition(dataset, 'ragged', 0)), false);

    // --skip-bad-rows publishes the rest and lists the bad one.
    const skipped = await publishFiles(deps, {
      dataset,
      batch: 'skipped',
      files: [path],
      partitions: 2,
      skipBadRows: true,
    });
    assert.equal(skipped.rows, 2);
    assert.deepEqual(
      skipped.badRows.map((r) => [r.line, r.reason]),
      [[3, 'expected 6 fields, found 4']],
    );
  });

  it('names the file and the columns of an unreadable, empty, or wrongly shaped input', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.csv', '', /empty\.csv: the file is empty/],
      [
        'extra.csv',
        `${HEADER},bonus\n1,a,1,1,2024-01-01,true,5\n`,
        /extra\.csv, line 1: unexpected column bonus/,
      ],
      [
        'missing.csv',
        'id,name,age\n1,a,1\n',
        /missing\.csv, line 1: missing columns salary, signup_date, is_active/,
      ],
      [
        'broken.parquet',
        Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100)]),
        /broken\.parquet: not a readable Parquet file/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, content);
      await assert.rejects(publishFiles(deps, { dataset, batch: 'bad', files: [path] }), (e: unknown) => {
        assert.ok(e instanceof InputFileError, `${name}: ${e}`);
        assert.match(e.message, message);
        return true;
      });
    }
    await assert.rejects(
      publishFiles(deps, { dataset, batch: 'bad', files: [join(dir, 'nope.csv')] }),
      /nope\.csv: cannot read: ENOENT/,
    );
    assert.equal(await clients.hdfs.exists(clients.paths.manifest(dataset, 'bad')), false);
  });

  it('reads input from hdfs:// paths and folders', async () => {
    const folder = `/lake/_tmp/${dataset}-in`;
    await clients.hdfs.writeFile(`${folder}/one.csv`, Buffer.from(csvText(500)));
    await clients.hdfs.writeFile(`${folder}/two.csv`, Buffer.from(csvText(300, 50_000)));
    try {
      const result = await publishFiles(deps, {
        dataset,
        batch: 'hdfs',
        files: [`hdfs://${folder}`],
        partitions: 2,
      });
      assert.equal(result.rows, 800);
      const m = (await manifestOf('hdfs'))!;
      assert.deepEqual(m.source.files, [`hdfs://${folder}/one.csv`, `hdfs://${folder}/two.csv`]);
    } finally {
      await clients.hdfs.delete(folder, { recursive: true });
    }
  });

  it('sends one descriptor per partition for the published batches, none for the refused ones', async () => {
    const found = await rawDescriptors(config, `${dataset}/`);
    const byBatch = new Map<string, number[]>();
    for (const d of found) byBatch.set(d.batch, [...(byBatch.get(d.batch) ?? []), d.partition]);
    for (const [batch, partitions] of [
      ['csv', 4],
      ['pq', 3],
      ['skipped', 2],
      ['hdfs', 2],
    ] as const) {
      const m = (await manifestOf(batch))!;
      const mine = found.filter((d) => d.batch === batch);
      assert.deepEqual(
        mine.map((d) => d.partition).sort(),
        Array.from({ length: partitions }, (_, p) => p),
        batch,
      );
      for (const d of mine) {
        const f = m.files[d.partition]!;
        assert.deepEqual(
          [d.path, d.rows, d.bytes, d.checksum, d.schemaFingerprint, d.partitions],
          [f.path, f.rows, f.bytes, f.checksum, m.schemaFingerprint, partitions],
        );
      }
    }
    assert.equal(byBatch.has('ragged'), false);
    assert.equal(byBatch.has('bad'), false);
  });
});
