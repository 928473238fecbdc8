import { LakeError } from '@lakestream/core';

/**
 * A champion/challenger comparison that cannot be made whatever the retries: a clean file that
 * does not match its descriptor, a batch without the target, models predicting different
 * targets. The message names what and where; the ModelPublished goes to the DLQ.
 */
export class ChallengeInputError extends LakeError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: false, ...options });
  }
}
