import { LakeError } from '@lakestream/core';

/**
 * Input the predictor cannot score, whatever the retries: a clean file that does not match its
 * descriptor, a model that fails its checksum, features the data does not have. Names the file
 * (or model) and what was expected, and is never retried: the message goes to the DLQ.
 */
export class PredictionInputError extends LakeError {
  constructor(
    readonly path: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${path}: ${message}`, { retriable: false, ...options });
  }
}
