import { type ForestModel, saveModel, type StandardScaler } from '@lakestream/forest';
import { MODEL_FILES, type ModelVersionMetadata } from './metadata';
import type { ModelRegistry } from './registry';

export interface FittedModel {
  model: ForestModel;
  scaler: StandardScaler;
  features: string[];
  target: string;
}

/**
 * Publishes a forest fitted outside a training job (a benchmark, an import, a test) as the
 * next version of `name`, laid out as the trainer lays its versions out; returns the version.
 * `metadata` fills what only the caller knows (dataset, lineage, test metrics…).
 */
export async function publishFittedModel(
  registry: ModelRegistry,
  name: string,
  fitted: FittedModel,
  metadata: Partial<ModelVersionMetadata> = {},
  tamper?: (files: Record<string, Uint8Array | string>) => void,
): Promise<number> {
  const { bytes, metadata: forest } = saveModel(fitted.model, { featureNames: fitted.features });
  const owner = `publishFittedModel-${forest.sha256}-${Date.now()}`;
  const version = await registry.allocateVersion(name, owner);
  const full: ModelVersionMetadata = {
    job: owner,
    dataset: '',
    search: 'none',
    space: {},
    cvFolds: 0,
    testFraction: 0,
    seed: 0,
    bestParams: {},
    bestCvMse: Number.NaN,
    trials: [],
    test: { rows: 0, mse: Number.NaN, rmse: Number.NaN, r2: Number.NaN },
    train: { rows: 0 },
    noiseVariance: null,
    noSignal: null,
    lineage: { batches: [], files: [] },
    codeVersion: 'external',
    timings: { searchSeconds: 0, refitSeconds: 0, totalSeconds: 0 },
    createdAt: Date.now(),
    ...metadata,
    name,
    version,
    features: fitted.features,
    target: fitted.target,
    forest,
  };
  const files: Record<string, Uint8Array | string> = {
    [MODEL_FILES.model]: bytes,
    [MODEL_FILES.forestJson]: JSON.stringify(forest),
    [MODEL_FILES.scaler]: JSON.stringify(fitted.scaler.toJSON()),
    [MODEL_FILES.metadata]: JSON.stringify(full, null, 2),
  };
  tamper?.(files);
  await registry.publishVersion(name, version, files);
  return version;
}
