import { hostname } from 'node:os';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec, TOPICS } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { createKafkaRunner } from '@lakestream/kafka';
import { ModelRegistry } from '@lakestream/models';
import { createLogger } from '@lakestream/observability';
import { rangeEdges } from '@lakestream/drift';
import { cleanChunkHandler, ModelCache } from '@lakestream/prediction';
import { runThread } from '@lakestream/workers';

export interface PredictorThreadData {
  config: LakeConfig;
  groupId: string;
}

/** One predictor consumer on its own thread: its own HDFS client, Kafka member and loaded models. */
runThread<PredictorThreadData>(async ({ data, emit }) => {
  const { config } = data;
  const worker = `predictor@${hostname()}/${process.pid}/${data.index}`;
  const logger = createLogger({ service: 'predictor', level: config.log.level, bindings: { worker } });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const paths = new LakePaths(config.hdfs.lakeRoot);
  const registry = new ModelRegistry(hdfs, paths);
  const runner = createKafkaRunner({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-predictor-${data.index}`,
    groupId: data.groupId,
    topics: [TOPICS.chunksClean.name],
    codec: createRegistryCodec({ url: config.registry.url }),
    transactional: true,
    dlq: { service: 'predictor' },
    logger,
    handler: cleanChunkHandler({
      hdfs,
      paths,
      registry,
      models: new ModelCache(registry),
      model: config.predictor.model,
      alias: config.predictor.alias,
      datasets: config.predictor.datasets,
      worker,
      ...(config.drift.bins.prediction ? { predictionEdges: rangeEdges(config.drift.bins.prediction) } : {}),
      drift: config.drift.thresholds,
      onDrift: (d) => {
        const fields = {
          dataset: d.dataset,
          batch: d.batch,
          reasons: d.reasons,
          notes: d.notes,
          path: d.path,
        };
        if (d.alert) logger.warn(fields, 'drift detected');
        else logger.info(fields, 'no drift');
      },
      onPartition: (d, outcome) => {
        logger.info(
          { dataset: d.dataset, batch: d.batch, partition: d.partition, ...outcome },
          'partition predicted',
        );
        emit('partition', { dataset: d.dataset, batch: d.batch, partition: d.partition, ...outcome });
      },
      onBatch: (s) => {
        logger.info(
          {
            dataset: s.dataset,
            batch: s.batch,
            model: s.model,
            version: s.version,
            rows: s.rows,
            seconds: s.seconds,
            mse: s.mse,
          },
          'batch predicted',
        );
        emit('batch', { dataset: s.dataset, batch: s.batch, model: s.model, version: s.version });
      },
      onNoModel: (d) =>
        logger.warn(
          { dataset: d.dataset, batch: d.batch, partition: d.partition, model: config.predictor.model },
          `no ${config.predictor.model}@${config.predictor.alias} model yet: partition left unscored (backfill with lake predict)`,
        ),
    }),
  });
  await runner.start();
  return () => runner.stop();
});
