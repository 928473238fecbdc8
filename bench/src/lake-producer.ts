import { createRegistryCodec, lakeTopicSpecs } from '@lakestream/contracts';
import type { LakeConfig } from '@lakestream/config';
import { createProducer, ensureTopics, type Producer } from '@lakestream/kafka';

/**
 * A connected producer with the registry codec, after making sure the lake topics exist:
 * a bench may publish before any service has started, and on a fresh stack nothing else has created them.
 */
export async function connectLakeProducer(config: LakeConfig): Promise<Producer> {
  const producer = createProducer({
    brokers: config.kafka.brokers,
    codec: createRegistryCodec({ url: config.registry.url }),
  });
  await ensureTopics(config.kafka.brokers, lakeTopicSpecs(config.kafka));
  await producer.connect();
  return producer;
}
