import { errorMessage } from '@lakestream/core';
import type { RawMessage } from './driver';
import type { DeadLetter } from './types';

export interface DeadLetterInput {
  topic: string;
  partition: number;
  message: RawMessage;
  error: unknown;
  attempts: number;
  service: string;
}

/** The dead-letter record for a message that failed for good: original bytes plus why. */
export function buildDeadLetter(input: DeadLetterInput): DeadLetter {
  const { message, error } = input;
  return {
    originalTopic: input.topic,
    originalPartition: input.partition,
    originalOffset: Number(message.offset),
    key: message.key === null ? null : message.key.toString(),
    value: message.value ?? Buffer.alloc(0),
    headers: { ...message.headers },
    error: errorMessage(error),
    errorName: error instanceof Error ? error.name : typeof error,
    attempts: input.attempts,
    service: input.service,
    failedAt: Date.now(),
  };
}
