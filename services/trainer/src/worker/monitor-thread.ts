import { hostname } from 'node:os';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { createKafkaRunner } from '@lakestream/kafka';
import { ModelRegistry } from '@lakestream/models';
import { MONITOR_TOPICS, monitorHandler } from '@lakestream/monitoring';
import { createLogger } from '@lakestream/observability';
import { runThread } from '@lakestream/workers';

export interface MonitorThreadData {
  config: LakeConfig;
}

/**
 * The model monitor on its own thread (a challenge scores a batch twice): the retrain policy on
 * completed batches (lake.predictions) and champion/challenger on new candidates (lake.models).
 */
runThread<MonitorThreadData>(async ({ data, emit }) => {
  const { config } = data;
  const worker = `monitor@${hostname()}/${process.pid}`;
  const logger = createLogger({ service: 'trainer', level: config.log.level, bindings: { worker } });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const paths = new LakePaths(config.hdfs.lakeRoot);
  const { retrain, challenger, group } = config.monitoring;
  const runner = createKafkaRunner({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-monitor`,
    groupId: group,
    topics: MONITOR_TOPICS,
    codec: createRegistryCodec({ url: config.registry.url }),
    transactional: true,
    sessionTimeoutMs: 10_000,
    dlq: { service: 'trainer' },
    logger,
    handler: monitorHandler({
      hdfs,
      paths,
      registry: new ModelRegistry(hdfs, paths),
      model: config.predictor.model,
      datasets: config.predictor.datasets,
      policy: retrain,
      challenger,
      worker,
      onDecision: (d) => {
        const fields = { dataset: d.dataset, batch: d.batch, seq: d.seq, alert: d.alert, reason: d.reason };
        if (d.job) logger.info({ ...fields, job: d.job.job, batches: d.job.batches }, 'retrain job started');
        else logger.info(fields, 'no retrain');
        emit('decision', { dataset: d.dataset, batch: d.batch, retrain: d.retrain });
      },
      onChallenge: (r) => {
        if ('skipped' in r) logger.info({ version: r.version, reason: r.skipped }, 'candidate not judged');
        else
          logger.info(
            {
              model: r.report.model,
              candidate: r.report.candidate,
              production: r.report.production,
              batch: r.report.batch,
              decision: r.report.decision,
              promoted: r.promoted,
              reason: r.report.reason,
            },
            'candidate judged',
          );
      },
    }),
  });
  await runner.start();
  return () => runner.stop();
});
