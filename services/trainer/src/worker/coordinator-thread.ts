import { hostname } from 'node:os';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec, TOPICS } from '@lakestream/contracts';
import { LakePaths } from '@lakestream/core';
import { rangeEdges } from '@lakestream/drift';
import { HdfsClient } from '@lakestream/hdfs';
import { createKafkaRunner } from '@lakestream/kafka';
import { ModelRegistry } from '@lakestream/models';
import { createLogger } from '@lakestream/observability';
import { TrainingCoordinator } from '@lakestream/training';
import { runThread } from '@lakestream/workers';

export interface CoordinatorThreadData {
  config: LakeConfig;
  jobsGroup: string;
  resultsGroup: string;
  codeVersion: string;
  refitJobs: number;
}

/**
 * The coordinator on its own thread (its refit trains a forest): consumes lake.training.jobs
 * and lake.training.results; all job state is in HDFS, so any coordinator resumes any job.
 */
runThread<CoordinatorThreadData>(async ({ data }) => {
  const { config } = data;
  const logger = createLogger({
    service: 'trainer',
    level: config.log.level,
    bindings: { worker: `coordinator@${hostname()}/${process.pid}` },
  });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const paths = new LakePaths(config.hdfs.lakeRoot);
  const coordinator = new TrainingCoordinator({
    hdfs,
    paths,
    registry: new ModelRegistry(hdfs, paths),
    refitJobs: data.refitJobs,
    trialPartitions: config.kafka.topicPartitions,
    codeVersion: data.codeVersion,
    ...(config.drift.bins.prediction ? { predictionEdges: rangeEdges(config.drift.bins.prediction) } : {}),
    logger,
  });
  const codec = createRegistryCodec({ url: config.registry.url });
  const common = {
    brokers: config.kafka.brokers,
    codec,
    transactional: true,
    sessionTimeoutMs: 10_000,
    dlq: { service: 'trainer' },
    logger,
  };
  const jobs = createKafkaRunner({
    ...common,
    clientId: `${config.kafka.clientId}-trainer-jobs`,
    groupId: data.jobsGroup,
    topics: [TOPICS.trainingJobs.name],
    handler: (m, ctx) => coordinator.onJob(m, ctx),
  });
  const results = createKafkaRunner({
    ...common,
    clientId: `${config.kafka.clientId}-trainer-results`,
    groupId: data.resultsGroup,
    topics: [TOPICS.trainingResults.name],
    handler: (m, ctx) => coordinator.onResult(m, ctx),
  });
  await Promise.all([jobs.start(), results.start()]);
  return async () => {
    await Promise.all([jobs.stop(), results.stop()]);
  };
});
