import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEtlService } from '@lakestream/etl';
import { publishFiles } from '@lakestream/publish';
import { tempDir } from '@lakestream/testkit';
import { eventually, lake, uniqueName } from '../etl/pipeline';
import { stackConfig } from '../stack/config';

const config = { ...stackConfig(), workers: { concurrency: 1 } };
const clients = lake(config);
const dataset = uniqueName('ingest-etl');
const dir = tempDir('ingest-etl-');
let service: Awaited<ReturnType<typeof startEtlService>>;

before(async () => {
  service = await startEtlService({ config, port: 0, shutdownHooks: false });
});
after(async () => {
  await service?.close();
  await clients.close();
  clients.hdfs.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  rowsIn: number;
  rowsOut: number;
  partitions: number;
  quality: { missing: Record<string, number>; duplicatesRemoved: number };
}

test('a batch published from two CSV files is cleaned by the ETL: duplicates across files removed exactly (same id, same partition)', async () => {
  const header = 'id,name,age,salary,signup_date,is_active';
  const row = (id: number) =>
    `${id},n${id},${20 + (id % 50)},${1000 + id}.5,2022-0${1 + (id % 9)}-15,${id % 2 ? 'true' : 'false'}`;
  const a = Array.from({ length: 2000 }, (_, i) => row(i + 1));
  // b repeats a's last 150 rows (ids 1851…2000), then 1000 new rows, 40 of them with a missing age.
  const b = [
    ...a.slice(-150),
    ...Array.from({ length: 1000 }, (_, i) =>
      i % 25 === 0 ? row(5000 + i).replace(/,\d+,(\d+\.5)/, ',,$1') : row(5000 + i),
    ),
  ];
  writeFileSync(join(dir, 'a.csv'), `${header}\n${a.join('\n')}\n`);
  writeFileSync(join(dir, 'b.csv'), `${header}\n${b.join('\n')}\n`);

  const published = await publishFiles(
    { hdfs: clients.hdfs, producer: await clients.producer(), paths: clients.paths },
    { dataset, batch: 'b1', files: [join(dir, 'a.csv'), join(dir, 'b.csv')], partitions: 3 },
  );
  assert.equal(published.rows, 3150);
  const report = await eventually('the ETL report', 50_000, () =>
    clients.readJson<Report>(`${clients.paths.reports(dataset, 'b1')}/etl_report.json`),
  );
  assert.equal(report.partitions, 3);
  assert.equal(report.rowsIn, 3150);
  assert.equal(report.quality.duplicatesRemoved, 150);
  assert.equal(
    Object.values(report.quality.missing).reduce((x, y) => x + y, 0),
    40,
  );
  assert.equal(report.rowsOut, 3150 - 150 - 40);
});
