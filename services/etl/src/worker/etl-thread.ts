import { hostname } from 'node:os';
import type { LakeConfig } from '@lakestream/config';
import { rangeEdges } from '@lakestream/drift';
import { createRegistryCodec, TOPICS } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import type { FuturePolicy } from '@lakestream/etl-core';
import { HdfsClient } from '@lakestream/hdfs';
import { createKafkaRunner } from '@lakestream/kafka';
import { createLogger } from '@lakestream/observability';
import { runThread } from '@lakestream/workers';
import { rawChunkHandler } from '../partition/raw-chunk.handler';

export interface EtlThreadData {
  config: LakeConfig;
  futurePolicy: FuturePolicy;
  groupId: string;
}

/** One ETL consumer on its own thread: its own HDFS client, codec, Kafka member and parquet-wasm. */
runThread<EtlThreadData>(async ({ data, emit }) => {
  const { config } = data;
  const worker = `etl@${hostname()}/${process.pid}/${data.index}`;
  const logger = createLogger({ service: 'etl', level: config.log.level, bindings: { worker } });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const runner = createKafkaRunner({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-etl-${data.index}`,
    groupId: data.groupId,
    topics: [TOPICS.chunksRaw.name],
    codec: createRegistryCodec({ url: config.registry.url }),
    transactional: true,
    dlq: { service: 'etl' },
    logger,
    handler: rawChunkHandler({
      hdfs,
      paths: new LakePaths(config.hdfs.lakeRoot),
      futurePolicy: data.futurePolicy,
      histogramEdges: Object.fromEntries(
        Object.entries(config.drift.bins).map(([column, range]) => [column, rangeEdges(range)]),
      ),
      worker,
      cleanTopicPartitions: config.kafka.topicPartitions,
      onPartition: (d, outcome) => {
        logger.info(
          { dataset: d.dataset, batch: d.batch, partition: d.partition, ...outcome },
          'partition cleaned',
        );
        emit('partition', { dataset: d.dataset, batch: d.batch, partition: d.partition, ...outcome });
      },
    }),
  });
  await runner.start();
  return () => runner.stop();
});
