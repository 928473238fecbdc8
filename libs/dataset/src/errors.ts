import { LakeError } from '@lakestream/core';

/** Generation failed inside a worker thread (the worker's error, or the worker died). */
export class GenerationError extends LakeError {
  constructor(
    message: string,
    readonly partitions: readonly number[],
    options: { cause?: unknown } = {},
  ) {
    super(message, { retriable: false, cause: options.cause });
  }
}
