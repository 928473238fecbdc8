import type { KafkaDriver, OutgoingRecord } from './driver';
import { createKafkaDriver } from './kafka-client';
import { stderrLogger } from './logger';
import type { MessageCodec, OutboundRecord, Producer, RunnerLogger } from './types';

export interface ProducerOptions {
  brokers: string[];
  clientId?: string;
  /** Encodes values; without it values must be Buffers or strings. */
  codec?: MessageCodec;
  logger?: RunnerLogger;
  driver?: KafkaDriver;
  /** Always true: accepted so call sites can say so. */
  idempotent?: true;
  /** Always -1 (all in-sync replicas): accepted so call sites can say so. */
  acks?: -1;
}

/** A publisher for the CLI and ingest: always idempotent with acks=all (no weaker setting offered). */
export function createProducer(options: ProducerOptions): Producer {
  const driver =
    options.driver ??
    createKafkaDriver({
      brokers: options.brokers,
      clientId: options.clientId ?? 'lakestream-producer',
      logger: options.logger ?? stderrLogger,
    });
  const producer = driver.producer();
  const toBytes = async (topic: string, value: unknown): Promise<Buffer> => {
    if (options.codec) return options.codec.encode(topic, value);
    if (Buffer.isBuffer(value)) return value;
    if (typeof value === 'string') return Buffer.from(value);
    throw new TypeError(`producer without a codec cannot send a ${typeof value} value to ${topic}`);
  };
  return {
    connect: () => producer.connect(),
    async send(topic: string, records: OutboundRecord[]): Promise<void> {
      const encoded: OutgoingRecord[] = [];
      for (const r of records) {
        encoded.push({
          topic,
          key: r.key,
          value: await toBytes(topic, r.value),
          headers: r.headers,
          partition: r.partition,
        });
      }
      await producer.send(encoded);
    },
    disconnect: () => producer.disconnect(),
  };
}
