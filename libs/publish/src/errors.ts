import { LakeError } from '@lakestream/core';

/** A batch id that already holds different content: never overwritten, never merged. */
export class BatchConflictError extends LakeError {
  constructor(
    readonly dataset: string,
    readonly batch: string,
    readonly existingHash: string,
    readonly newHash: string,
  ) {
    super(
      `batch ${batch} of dataset ${dataset} was already published with different content (content hash ${existingHash.slice(0, 12)}…, now ${newHash.slice(0, 12)}…); publish under another --batch id`,
    );
  }
}
