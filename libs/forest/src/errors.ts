import { LakeError } from '@lakestream/core';

/** Input that a forest cannot train or predict on (NaN, shape mismatch, bad parameter). */
export class ForestInputError extends LakeError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, { retriable: false });
  }
}

/** A model file or interchange document that is malformed, truncated or fails its checksum. */
export class ForestFormatError extends LakeError {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message, { retriable: false });
  }
}

/** predict() or export called before fit(). */
export class NotFittedError extends LakeError {
  constructor(what: string) {
    super(`${what} is not fitted yet: call fit() first`, { retriable: false });
  }
}
