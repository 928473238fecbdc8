import { formatModelRef, type LoadedModel, ModelNotFoundError, type ModelRegistry } from '@lakestream/models';
import { ForestFormatError } from '@lakestream/forest';
import { PredictionInputError } from './errors';

/**
 * Loaded model versions of one worker, newest use last. A version never changes once
 * published, so a cached one is always right; a few stay loaded so that batches pinned to the
 * previous production version finish with it while new batches use the new one.
 */
export class ModelCache {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly capacity = 3,
  ) {}

  get(name: string, version: number): Promise<LoadedModel> {
    const key = formatModelRef(name, version);
    let model = this.loaded.get(key);
    if (model) this.loaded.delete(key);
    else {
      model = this.load(name, version);
      // A failed load is not cached: the next message tries again.
      model.catch(() => this.loaded.delete(key));
    }
    this.loaded.set(key, model);
    while (this.loaded.size > this.capacity) this.loaded.delete(this.loaded.keys().next().value!);
    return model;
  }

  /** Versions currently loaded, e.g. for the model-version gauge. */
  keys(): string[] {
    return [...this.loaded.keys()];
  }

  private async load(name: string, version: number): Promise<LoadedModel> {
    try {
      return await this.registry.load({ name, version });
    } catch (error) {
      if (error instanceof ForestFormatError || error instanceof ModelNotFoundError)
        throw new PredictionInputError(
          this.registry.versionDir(name, version),
          `model ${formatModelRef(name, version)} cannot be used: ${error.message}`,
          { cause: error },
        );
      throw error;
    }
  }
}
