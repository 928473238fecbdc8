import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ParquetReader, readFooter, writeParquet } from '@lakestream/columnar';
import { generatePartition } from '@lakestream/dataset';
import { HdfsSource } from '@lakestream/hdfs';
import { partitionToArrow } from '@lakestream/publish';
import { stackConfig } from '../stack/config';
import { lake, uniqueName } from '../etl/pipeline';

const clients = lake(stackConfig());
const dir = `/lake/${uniqueName('columnar')}`;
after(async () => {
  await clients.hdfs.delete(dir, { recursive: true }).catch(() => false);
  clients.hdfs.close();
});

test('reading two columns of a 1M-row partition in HDFS fetches only the footer and those columns', async () => {
  const columns = generatePartition({
    rows: 1_000_000,
    partitions: 1,
    partition: 0,
    seed: 5,
    referenceDate: '2026-01-01',
  });
  const bytes = writeParquet(partitionToArrow(columns), { compression: 'snappy' });
  const path = `${dir}/part-00000.parquet`;
  await clients.hdfs.writeAtomically(path, bytes);

  const footer = await readFooter(new HdfsSource(clients.hdfs, path));
  assert.ok(footer.rowGroups.length > 1, `several row groups (${footer.rowGroups.length})`);
  const wanted = footer.rowGroups.flatMap((g) =>
    g.columns.filter((c) => c.field === 'id' || c.field === 'salary'),
  );
  const chunkBytes = wanted.reduce((s, c) => s + c.length, 0);

  const source = new HdfsSource(clients.hdfs, path);
  const reader = await ParquetReader.open(source);
  let rows = 0;
  let salarySum = 0;
  let idSum = 0n;
  for await (const { table } of reader.rowGroups({ columns: ['id', 'salary'] })) {
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      ['id', 'salary'],
    );
    rows += table.numRows;
    for (const v of table.getChild('salary')!) salarySum += v as number;
    for (const v of table.getChild('id')!) idSum += v as bigint;
  }
  assert.equal(rows, columns.count);
  let expectSalary = 0;
  let expectId = 0n;
  for (let i = 0; i < columns.count; i++) {
    expectSalary += columns.salary[i]!;
    expectId += columns.id[i]!;
  }
  assert.equal(idSum, expectId);
  assert.ok(Math.abs(salarySum - expectSalary) < 1e-6 * Math.abs(expectSalary));
  // Footer (read from the end) plus the two columns' chunks, and nothing of the other four columns.
  assert.ok(source.bytesRead >= chunkBytes, `${source.bytesRead} ≥ ${chunkBytes}`);
  assert.ok(
    source.bytesRead <= chunkBytes + footer.tail.bytes.byteLength,
    `${source.bytesRead} ≤ chunks ${chunkBytes} + tail ${footer.tail.bytes.byteLength}`,
  );
  assert.ok(source.bytesRead < bytes.byteLength * 0.9, `${source.bytesRead} of ${bytes.byteLength} bytes`);
});
