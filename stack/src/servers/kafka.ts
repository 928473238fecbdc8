import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { StackError } from '../errors';
import type { ServerSpec } from './server';

const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
`;

/** One Kafka node in KRaft mode (broker + controller), loopback only unless configured. */
export const kafkaServer: ServerSpec = {
  name: 'kafka',
  minJava: 17,
  artifact: 'kafka',
  ports: (c) => [c.stack.ports.kafka, c.stack.ports.kafkaController],
  endpoint: (c) => `${c.stack.host}:${c.stack.ports.kafka}`,

  prepare(c, layout, java) {
    const dir = layout.data.kafka;
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const { host, ports } = c.stack;
    const props = [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${ports.kafkaController}`,
      `listeners=PLAINTEXT://${host}:${ports.kafka},CONTROLLER://${host}:${ports.kafkaController}`,
      `advertised.listeners=PLAINTEXT://${host}:${ports.kafka}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(dir, 'logs')}`,
      `num.partitions=${c.kafka.topicPartitions}`,
      // Topics are created by lakestream with their partition counts; a typo must not create one.
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=12',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=12',
      'group.initial.rebalance.delay.ms=0',
      'num.network.threads=2',
      'num.io.threads=4',
      'log.retention.hours=168',
      'message.max.bytes=10485760',
    ];
    writeFileSync(join(dir, 'server.properties'), `${props.join('\n')}\n`);
    writeFileSync(join(dir, 'log4j.properties'), LOG4J);
    if (!existsSync(join(dir, 'logs', 'meta.properties'))) {
      // Kafka's cluster ids are 16 random bytes, base64url without padding.
      const clusterId = randomBytes(16).toString('base64url');
      const r = spawnSync(
        java.bin,
        [
          `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
          '-cp',
          `${layout.lib.kafka}/*`,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          join(dir, 'server.properties'),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) {
        throw new StackError(
          `formatting Kafka storage in ${dir} failed`,
          'kafka',
          `${r.stdout}\n${r.stderr}`.trim(),
        );
      }
    }
  },

  args(_c, layout) {
    const dir = layout.data.kafka;
    return [
      '-Xms256m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dkafka.logs.dir=${dir}`,
      `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
      '-cp',
      `${layout.lib.kafka}/*`,
      'kafka.Kafka',
      join(dir, 'server.properties'),
    ];
  },

  async probe(c) {
    const kafka = new Kafka({
      clientId: 'lake-stack-probe',
      brokers: [`${c.stack.host}:${c.stack.ports.kafka}`],
      connectionTimeout: 2000,
      requestTimeout: 5000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0)
        throw new StackError('Kafka answers but reports no broker yet', 'kafka');
      return `${cluster.brokers.length} broker, controller ${cluster.controller}`;
    } catch (error) {
      throw error instanceof StackError
        ? error
        : new StackError(`Kafka not answering metadata: ${(error as Error).message}`, 'kafka');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
};
