import { LakeError } from '@lakestream/core';

/** Base error of training. */
export class TrainingError extends LakeError {}

/** A job that cannot run as asked (bad space, missing batch, no rows); retrying will not help. */
export class TrainingJobError extends TrainingError {
  constructor(
    readonly job: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`training job ${job}: ${message}`, { retriable: false, ...options });
  }
}
