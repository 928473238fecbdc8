import type {
  FetchedBatch,
  KafkaDriver,
  OutgoingRecord,
  ProducerDriver,
  TransactionalProducerDriver,
} from './driver';
import { ProducerFencedError } from './errors';

/** Publishes a handled message's downstream records and commits its offset. */
export interface Committer {
  /** Called before the first message of a partition this member (re)gained. */
  prepare(topic: string, partition: number): Promise<void>;
  commit(batch: FetchedBatch, offset: string, records: OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** The next offset to read after `offset`. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/**
 * The offset to commit once `offset` is done: past the batch's trailing commit markers and
 * aborted records when it is the batch's last visible message, so that a topic written by
 * transactions shows no lag when all is done and a restart does not read them again.
 */
export function commitOffsetFor(batch: FetchedBatch, offset: string): string {
  const last = batch.messages[batch.messages.length - 1];
  if (last?.offset === offset && BigInt(batch.lastOffset) > BigInt(offset))
    return nextOffset(batch.lastOffset);
  return nextOffset(offset);
}

/**
 * Consume-transform-produce in one Kafka transaction per message: the downstream records and
 * the input offset are committed together or not at all. One transactional producer per input
 * partition, its id stable (`<group>-<topic>-<partition>`), so whoever owns the partition next
 * fences a zombie that still thinks it does.
 */
export class TransactionalCommitter implements Committer {
  private readonly producers = new Map<string, TransactionalProducerDriver>();
  /** `<id>@<offset>` whose commit failed without telling whether it took effect. */
  private readonly uncertain = new Set<string>();
  constructor(
    private readonly driver: KafkaDriver,
    private readonly groupId: string,
    /** The group's committed offset of a partition (-1 when none). */
    private readonly committedOffset: (topic: string, partition: number) => Promise<number>,
  ) {}

  private producer(topic: string, partition: number): TransactionalProducerDriver {
    const id = `${this.groupId}-${topic}-${partition}`;
    let producer = this.producers.get(id);
    if (!producer) {
      producer = this.driver.transactionalProducer(id);
      this.producers.set(id, producer);
    }
    return producer;
  }

  prepare(topic: string, partition: number): Promise<void> {
    return this.producer(topic, partition).initTransactions();
  }

  async commit(batch: FetchedBatch, offset: string, records: OutgoingRecord[]): Promise<void> {
    const producer = this.producer(batch.topic, batch.partition);
    const attempt = `${producer.transactionalId}@${offset}`;
    // begin() of a fresh producer completes (or aborts) whatever the last one left pending.
    const txn = await producer.begin();
    if (this.uncertain.has(attempt)) {
      const committed = await this.committedOffset(batch.topic, batch.partition);
      if (committed >= 0 && BigInt(committed) > BigInt(offset)) {
        // The failed commit did take effect: committing again would duplicate the output.
        this.uncertain.delete(attempt);
        await txn.abort();
        return;
      }
    }
    let step = 'send';
    try {
      if (records.length > 0) await txn.send(records);
      await txn.sendOffsets({
        groupId: this.groupId,
        topic: batch.topic,
        partition: batch.partition,
        nextOffset: commitOffsetFor(batch, offset),
      });
      step = 'commit';
      await txn.commit();
      this.uncertain.delete(attempt);
    } catch (error) {
      if (step === 'commit') this.uncertain.add(attempt);
      await txn.abort();
      if (error instanceof ProducerFencedError) {
        this.producers.delete(producer.transactionalId);
        await producer.disconnect();
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
  }
}

/**
 * The fallback: an idempotent producer (acks=all) publishes, then the offset is committed.
 * A crash between the two redelivers the message, so downstream must dedupe by key.
 */
export class AtLeastOnceCommitter implements Committer {
  private connected: Promise<void> | undefined;
  constructor(private readonly producer: ProducerDriver) {}

  async prepare(): Promise<void> {}

  async commit(batch: FetchedBatch, offset: string, records: OutgoingRecord[]): Promise<void> {
    if (records.length > 0) {
      this.connected ??= this.producer.connect().catch((error) => {
        this.connected = undefined;
        throw error;
      });
      await this.connected;
      await this.producer.send(records);
    }
    await batch.commitOffset(commitOffsetFor(batch, offset));
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }
}
