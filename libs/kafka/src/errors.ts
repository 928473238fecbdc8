import { LakeError } from '@lakestream/core';

/** Anything that went wrong talking to Kafka. */
export class KafkaError extends LakeError {}

/** The broker (or a coordinator) cannot be reached or is not ready: pause and try again. */
export class KafkaUnavailableError extends KafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}

/**
 * This member no longer owns the partition (the group rebalanced): the message is left to
 * its new owner — never retried here, never dead-lettered.
 */
export class PartitionLostError extends KafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
  }
}

/**
 * Another producer with the same transactional id took over (this member lost the
 * partition): nothing of the current transaction may be committed.
 */
export class ProducerFencedError extends PartitionLostError {
  constructor(
    readonly transactionalId: string,
    cause?: unknown,
  ) {
    super(`producer ${transactionalId} was fenced by a newer instance`, cause);
  }
}

/** A payload the codec cannot read: bad input, it goes to the dead-letter topic. */
export class DecodeError extends KafkaError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    cause: unknown,
  ) {
    super(
      `cannot decode message ${topic}[${partition}]@${offset}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { retriable: false, cause },
    );
  }
}

/** Shutdown ran out of time and aborted a handler: its message will be redelivered. */
export class HandlerAbortedError extends KafkaError {
  constructor() {
    super('handler aborted by shutdown', { retriable: false });
  }
}
