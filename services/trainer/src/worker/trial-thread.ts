import { hostname } from 'node:os';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec, TOPICS } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { HdfsClient } from '@lakestream/hdfs';
import { createKafkaRunner } from '@lakestream/kafka';
import { createLogger } from '@lakestream/observability';
import { trialHandler } from '@lakestream/training';
import { runThread } from '@lakestream/workers';

export interface TrialThreadData {
  config: LakeConfig;
  groupId: string;
}

/** One trial worker on its own thread: a member of the trial consumer group with its own data cache. */
runThread<TrialThreadData>(async ({ data, emit }) => {
  const { config } = data;
  const worker = `trainer@${hostname()}/${process.pid}/${data.index}`;
  const logger = createLogger({ service: 'trainer', level: config.log.level, bindings: { worker } });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const runner = createKafkaRunner({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-trainer-${data.index}`,
    groupId: data.groupId,
    topics: [TOPICS.trainingTrials.name],
    codec: createRegistryCodec({ url: config.registry.url }),
    transactional: true,
    // A dead member's trials go to another worker after this long (heartbeats run during long trials).
    sessionTimeoutMs: 10_000,
    dlq: { service: 'trainer' },
    logger,
    handler: trialHandler({
      hdfs,
      paths: new LakePaths(config.hdfs.lakeRoot),
      worker,
      onTrial: (spec, result) => {
        logger.info(
          {
            job: spec.job,
            trial: spec.trial,
            fold: spec.fold,
            rung: spec.rung,
            status: result.status,
            score: result.score,
            trainMs: Math.round(result.trainMs),
          },
          'trial done',
        );
        emit('trial', { rows: result.rows, seconds: result.trainMs / 1000 });
      },
    }),
  });
  await runner.start();
  return () => runner.stop();
});
