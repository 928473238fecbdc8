import type { ChunkDescriptor } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import { type HdfsClient, HdfsNotFoundError, readJsonFile } from '@lakestream/hdfs';
import { PredictionInputError } from './errors';

/**
 * The clean ChunkDescriptors of a complete clean batch, in partition order, as the ETL
 * recorded them in its per-partition partial files (the same records it sent to Kafka).
 */
export async function cleanDescriptors(
  hdfs: HdfsClient,
  paths: LakePaths,
  dataset: string,
  batch: string,
): Promise<ChunkDescriptor[]> {
  const clean = paths.cleanBatch(dataset, batch);
  if (!(await hdfs.exists(`${clean}/_SUCCESS`)))
    throw new PredictionInputError(clean, `batch ${dataset}/${batch} is not cleaned yet (no _SUCCESS)`);
  const dir = paths.partial(dataset, batch, 0).replace(/\/[^/]+$/, '');
  const names = await hdfs.list(dir).then(
    (entries) => entries.filter((e) => e.name.endsWith('.json')).map((e) => e.name),
    (error) => {
      if (error instanceof HdfsNotFoundError) return [];
      throw error;
    },
  );
  const descriptors: ChunkDescriptor[] = [];
  for (const name of names) {
    const partial = await readJsonFile<{ clean?: ChunkDescriptor }>(hdfs, `${dir}/${name}`);
    if (partial?.clean) descriptors.push(partial.clean);
  }
  if (descriptors.length === 0)
    throw new PredictionInputError(
      dir,
      `batch ${dataset}/${batch} has no ETL partials listing its clean files`,
    );
  descriptors.sort((a, b) => a.partition - b.partition);
  const expected = descriptors[0]!.partitions;
  if (descriptors.length !== expected)
    throw new PredictionInputError(
      dir,
      `found ${descriptors.length} clean partitions, the batch has ${expected}`,
    );
  return descriptors;
}
