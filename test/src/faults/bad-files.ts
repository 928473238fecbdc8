import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ChunkDescriptor, chunkKey, TOPICS } from '@lakestream/contracts';
import { RAW_COLUMNS } from '@lakestream/publish';
import { repoRoot, runPython } from '@lakestream/testkit';
import type { lake } from '../etl/pipeline';

/**
 * The bad inputs of the fault suite, written by pyarrow as other tools would write them: each
 * Parquet file's rows (as written), keyed by file name. Ids are disjoint across files, so a
 * batch of several of them de-duplicates the same way per partition and over the batch.
 */
export function writeBadParquet(dir: string): Record<string, number> {
  return JSON.parse(
    runPython(
      `
import sys, json, datetime, pyarrow as pa, pyarrow.parquet as pq
d = sys.argv[1]
rows = {}
def table(first, n, **over):
    cols = {
      'id': pa.array(range(first, first + n), pa.int64()),
      'name': pa.array([['Alice', 'Bob', 'Zoë'][i % 3] for i in range(n)], pa.string()),
      'age': pa.array([20 + i % 40 for i in range(n)], pa.int32()),
      'salary': pa.array([1000.5 + i for i in range(n)], pa.float64()),
      'signup_date': pa.array([datetime.datetime(2020, 1, 1) + datetime.timedelta(hours=i) for i in range(n)], pa.timestamp('us')),
      'is_active': pa.array([i % 2 == 0 for i in range(n)], pa.bool_()),
    }
    cols.update({k: (v(n) if callable(v) else v) for k, v in over.items()})
    return pa.table(cols)
def write(name, t):
    pq.write_table(t, f'{d}/{name}')
    rows[name] = t.num_rows
def typed_nulls(n):
    return {c: pa.nulls(n, t) for c, t in [('name', pa.string()), ('age', pa.int32()), ('salary', pa.float64()), ('signup_date', pa.timestamp('us')), ('is_active', pa.bool_())]}
latin1 = lambda n: pa.array([b'Jos\\xe9' if i == 3 else b'Ann' for i in range(n)], pa.binary()).view(pa.string())

write('good-a.parquet', table(0, 200))
write('good-b.parquet', table(500, 100))
write('nulls-typed.parquet', table(1000, 40, **typed_nulls(40)))
write('nulls-type.parquet', table(2000, 40, **{c: pa.nulls(40) for c in ['name', 'age', 'salary', 'signup_date', 'is_active']}))
ages = [-1, 0, 13, 14, 100, 101, 150, 999, 2147483647] + [30] * 31
salaries = [1.5] * 20 + [float('nan'), float('inf'), float('-inf')] + [2.5] * 17
write('ages.parquet', table(3000, 40, age=pa.array(ages, pa.int32()), salary=pa.array(salaries, pa.float64())))
wide = table(4000, 20)
write('wide.parquet', pa.table({**{c: wide[c] for c in wide.column_names}, **{f'extra_{k}': pa.array([k] * 20, pa.int32()) for k in range(9994)}}))
write('empty.parquet', table(0, 0))
write('age-string.parquet', table(7000, 30, age=lambda n: pa.array([str(20 + i) for i in range(n)], pa.string())))
write('salary-string.parquet', table(8000, 30, salary=lambda n: pa.array([f'{1000.5 + i}' for i in range(n)], pa.string())))
write('latin1.parquet', table(9000, 30, name=latin1))
write('to-truncate.parquet', table(6000, 300))
whole = open(f'{d}/to-truncate.parquet', 'rb').read()
open(f'{d}/truncated.parquet', 'wb').write(whole[: len(whole) // 2])
rows['truncated.parquet'] = 300
print(json.dumps(rows))
`,
      [dir],
    ),
  ) as Record<string, number>;
}

const HEADER = 'id,name,age,salary,signup_date,is_active';

/** The CSV cases, as bytes (Latin-1 where the case says so). */
export function writeBadCsv(dir: string): Record<string, string> {
  const row = (id: number, name = `n${id % 7}`, age: number | string = 20 + (id % 40)) =>
    `${id},${name},${age},${1000 + id}.25,2024-0${1 + (id % 9)}-1${id % 10},${id % 2 ? 'true' : 'false'}`;
  const files: Record<string, string | Buffer> = {
    'ragged.csv': [
      HEADER,
      row(1),
      '2,Bob,31,1.5',
      row(3),
      row(4),
      '5,Eve,32,1.5,2024-01-01,true,extra',
      row(6),
    ].join('\n'),
    'nulls.csv': [HEADER, ...Array.from({ length: 25 }, (_, i) => `${100 + i},,,,,`)].join('\n'),
    'ages.csv': [
      HEADER,
      ...[-1, 0, 13, 14, 100, 101, 150, 999, 30, 31].map((age, i) => row(200 + i, 'Ann', age)),
    ].join('\n'),
    'latin1.csv': Buffer.from(
      [HEADER, row(300, 'Ann'), row(301, 'Jos\xe9'), row(302, 'Ren\xe9e'), row(303, 'Bo')].join('\n'),
      'latin1',
    ),
    'header-only.csv': `${HEADER}\n`,
    'salary-string.csv': [
      HEADER,
      ...Array.from({ length: 5 }, (_, i) => row(400 + i).replace(/,[\d.]+,2024/, ',lots,2024')),
    ].join('\n'),
  };
  const out: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    out[name] = join(dir, name);
    writeFileSync(
      out[name],
      typeof content === 'string' ? `${content}\n` : Buffer.concat([content, Buffer.from('\n')]),
    );
  }
  return out;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * A batch placed in the raw zone the way another writer (Spark, a copy job) would: partition
 * files exactly as given, a manifest, the descriptors (truthful about bytes and checksum), then
 * `_PUBLISHED`. `rows` is what each file claims to hold.
 */
export async function placeRawBatch(
  clients: ReturnType<typeof lake>,
  dataset: string,
  batch: string,
  files: { path: string; rows: number }[],
): Promise<{ createdAt: number; paths: string[] }> {
  const { hdfs, paths } = clients;
  const createdAt = Date.now();
  const placed = [];
  for (const [p, f] of files.entries()) {
    const bytes = readFileSync(f.path);
    const path = paths.rawPartition(dataset, batch, p);
    await hdfs.createExclusive(path, bytes);
    placed.push({ partition: p, path, rows: f.rows, bytes: bytes.byteLength, checksum: sha256(bytes) });
  }
  const rows = placed.reduce((s, f) => s + f.rows, 0);
  const manifest = {
    dataset,
    batch,
    partitions: files.length,
    rows,
    bytes: placed.reduce((s, f) => s + f.bytes, 0),
    schema: RAW_COLUMNS,
    schemaFingerprint: 'foreign-writer',
    source: { kind: 'files', profile: null, seed: null, quirks: false, files: files.map((f) => f.path) },
    contentHash: sha256(Buffer.from(JSON.stringify(placed))),
    createdAt,
    files: placed,
  };
  await hdfs.createExclusive(paths.manifest(dataset, batch), `${JSON.stringify(manifest, null, 2)}\n`);
  const producer = await clients.producer();
  await producer.send(
    TOPICS.chunksRaw.name,
    placed.map((f) => ({
      key: chunkKey(dataset, batch, f.partition),
      value: {
        dataset,
        batch,
        partition: f.partition,
        partitions: files.length,
        stage: 'raw',
        path: f.path,
        rows: f.rows,
        bytes: f.bytes,
        checksum: f.checksum,
        schemaFingerprint: manifest.schemaFingerprint,
        createdAt,
        lineage: [],
        rowGroups: null,
        attempt: 1,
        producer: 'faults-foreign-writer',
      } satisfies ChunkDescriptor,
    })),
  );
  await hdfs.createExclusive(paths.published(dataset, batch), `${new Date(createdAt).toISOString()}\n`);
  return { createdAt, paths: placed.map((f) => f.path) };
}

const run = promisify(execFile);

/** `lake <args>` as a user runs it; resolves with the exit code and both streams, whatever the code. */
export async function lakeCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repoRoot(), 'cli', 'bin', 'lake.js'), ...args],
      {
        maxBuffer: 64 << 20,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
