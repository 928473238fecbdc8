import { LakeError } from '@lakestream/core';

/** Base error of the model registry. */
export class ModelRegistryError extends LakeError {}

/** No such model, version or alias. */
export class ModelNotFoundError extends ModelRegistryError {
  constructor(
    message: string,
    readonly model: string,
    readonly version?: number,
  ) {
    super(message, { retriable: false });
  }
}
