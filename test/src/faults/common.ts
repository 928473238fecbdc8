import type { LakeConfig } from '@lakestream/config';
import { publishSynthetic } from '@lakestream/publish';
import { stackConfig } from '../stack/config';
import { lake, uniqueName } from '../etl/pipeline';

/** One scenario's world: the shared stack's config, clients and a dataset nobody else uses. */
export function scenario(prefix: string, config: LakeConfig = stackConfig()) {
  const clients = lake(config);
  const dataset = uniqueName(prefix);
  return {
    config,
    clients,
    dataset,
    since: Date.now(),
    /** A small dirty batch: `partitions` × `rowsPerPartition` rows with the study's quirks. */
    async publish(batch: string, partitions = 30, rowsPerPartition = 2000) {
      return publishSynthetic(
        { hdfs: clients.hdfs, producer: await clients.producer(), paths: clients.paths },
        {
          dataset,
          batch,
          rows: partitions * rowsPerPartition,
          partitions,
          seed: 7,
          quirks: true,
          referenceDate: '2026-06-01',
          workers: 1,
        },
      );
    },
    async cleanup() {
      await clients.hdfs.delete(clients.paths.dataset(dataset), { recursive: true }).catch(() => false);
      await clients.close();
    },
  };
}

/** How many partitions of a batch have their partial written (finished by the ETL). */
export async function partialsDone(
  clients: ReturnType<typeof lake>,
  dataset: string,
  batch: string,
): Promise<number> {
  try {
    return (await clients.hdfs.list(`${clients.paths.reports(dataset, batch)}/_partials`)).length;
  } catch {
    return 0;
  }
}
