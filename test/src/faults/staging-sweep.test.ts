import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { HdfsClient, StagingSweeper, sweepStaging } from '@lakestream/hdfs';
import { eventually, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';
import { backdate, HOUR, plantStaging, stagingNames } from './staging';

// The sweeper against the real NameNode, under a lake root of its own: nothing else writes
// there, so what it keeps and removes is exactly what these tests planted.
const config = stackConfig();
const root = `/${uniqueName('lake-sweep')}`;
const hdfs = new HdfsClient({ namenodeUrl: config.hdfs.namenodeUrl, user: config.hdfs.user, lakeRoot: root });
const admin = new HdfsClient({ namenodeUrl: config.hdfs.namenodeUrl, user: config.hdfs.user, lakeRoot: '/' });
const name = (folder: string) => folder.slice(folder.lastIndexOf('/') + 1);

after(async () => {
  await admin.delete(root, { recursive: true }).catch(() => false);
  hdfs.close();
  admin.close();
});

test('sweepStaging removes staging folders older than maxAge, keeps young ones and anything with a young entry inside', async () => {
  const old = await plantStaging(hdfs, { ageMs: 2 * HOUR });
  const young = await plantStaging(hdfs, { ageMs: 0 });
  // A writer still adding files to an old folder: the folder's own time is old, its newest entry is not.
  const busy = await plantStaging(hdfs, { ageMs: 2 * HOUR });
  await hdfs.writeFile(`${busy}/part-00001.parquet`, 'just now');
  await hdfs.setTimes(busy, { modificationTime: Date.now() - 2 * HOUR });
  // The model registry stages a folder of files: `_tmp/<uuid>/v<k>/…`.
  const nested = `${root}/_tmp/${randomUUID()}`;
  await hdfs.writeFile(`${nested}/v3/model.json`, '{}');
  await hdfs.writeFile(`${nested}/v3/metadata.json`, '{}');
  await backdate(hdfs, nested, 2 * HOUR);
  // Not a staging folder: a stray file in _tmp is not the sweeper's to judge.
  await hdfs.writeFile(`${root}/_tmp/stray.txt`, 'x');
  await hdfs.setTimes(`${root}/_tmp/stray.txt`, { modificationTime: Date.now() - 2 * HOUR });

  const result = await sweepStaging(hdfs, { maxAgeMs: HOUR });
  assert.deepEqual(result.swept.sort(), [old, nested].sort());
  assert.equal(result.kept, 2);
  assert.deepEqual(await stagingNames(hdfs), [name(busy), name(young), 'stray.txt'].sort());

  // Sweeping again finds nothing more; two sweepers at once never fail on each other's deletions.
  const again = await plantStaging(hdfs, { ageMs: 2 * HOUR });
  const [a, b] = await Promise.all([
    sweepStaging(hdfs, { maxAgeMs: HOUR }),
    sweepStaging(hdfs, { maxAgeMs: HOUR }),
  ]);
  assert.deepEqual([...a.swept, ...b.swept], [again]);
  for (const f of [busy, young]) await hdfs.delete(f, { recursive: true });
  await hdfs.delete(`${root}/_tmp/stray.txt`);
});

test('a write in flight in this process is never swept, even when its folder looks abandoned', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let uploading!: () => void;
  const started = new Promise<void>((r) => {
    uploading = r;
  });
  async function* slowBytes() {
    yield Buffer.alloc(64 << 10, 1);
    uploading();
    await gate;
    yield Buffer.alloc(64 << 10, 2);
  }
  const write = hdfs.writeAtomically('ds/clean/batch=b1/part-00000.parquet', slowBytes());
  await started;
  const [staging] = await eventually('the staging folder to appear', 10_000, async () => {
    const names = await stagingNames(hdfs);
    return names.length > 0 ? names : undefined;
  });
  // Two hours from now every folder is past its age: only the in-flight hold keeps this one.
  const result = await sweepStaging(hdfs, { maxAgeMs: HOUR, now: Date.now() + 2 * HOUR });
  assert.deepEqual(result.swept, []);
  assert.equal(result.kept, 1);
  release();
  const written = await write;
  assert.equal(written.bytes, 128 << 10);
  assert.equal((await hdfs.stat('ds/clean/batch=b1/part-00000.parquet')).length, 128 << 10);
  assert.ok(!(await hdfs.exists(`_tmp/${staging}`)), 'the writer removed its own staging folder');
});

test('StagingSweeper sweeps at start and then periodically, and stops', async () => {
  const first = await plantStaging(hdfs, { ageMs: 2 * HOUR });
  const reports: string[][] = [];
  const errors: unknown[] = [];
  const sweeper = new StagingSweeper(hdfs, {
    maxAgeMs: HOUR,
    intervalMs: 300,
    onSwept: (r) => reports.push(r.swept),
    onError: (e) => errors.push(e),
  });
  sweeper.start();
  try {
    await eventually('the first sweep', 10_000, async () => (reports.length > 0 ? true : undefined));
    assert.deepEqual(reports[0], [first]);
    const later = await plantStaging(hdfs, { ageMs: 2 * HOUR });
    await eventually('a later sweep to remove it', 10_000, async () =>
      reports.some((r) => r.includes(later)) ? true : undefined,
    );
  } finally {
    await sweeper.stop();
  }
  const count = reports.length;
  const untouched = await plantStaging(hdfs, { ageMs: 2 * HOUR });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(reports.length, count, 'no sweep after stop');
  assert.ok(await hdfs.exists(untouched));
  assert.deepEqual(errors, []);
});
