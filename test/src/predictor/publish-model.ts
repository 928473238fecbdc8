import { RandomForestRegressor, saveModel, StandardScaler } from '@lakestream/forest';
import { MODEL_FILES, type ModelRegistry, type ModelVersionMetadata } from '@lakestream/models';

/**
 * Fits a small forest on (features → target) rows and publishes it as the next version of
 * `name`, the way the trainer lays a version out; returns its version number.
 */
export async function publishModel(
  registry: ModelRegistry,
  name: string,
  data: { x: Float64Array[]; y: Float64Array; features: string[]; target: string },
  params: { nEstimators: number; maxDepth: number; seed: number },
  tamper?: (files: Record<string, Uint8Array | string>) => void,
): Promise<number> {
  const n = data.y.length;
  const scaler = StandardScaler.fit({ nRows: n, columns: data.x });
  const model = new RandomForestRegressor({ ...params, randomState: params.seed });
  await model.fit(scaler.transform({ nRows: n, columns: data.x }), data.y);
  const { bytes, metadata: forest } = saveModel(model, { featureNames: data.features });
  const version = await registry.allocateVersion(
    name,
    `test-${params.seed}-${params.maxDepth}-${Date.now()}`,
  );
  const metadata = {
    name,
    version,
    job: 'predictor-test',
    dataset: 'predictor-test',
    features: data.features,
    target: data.target,
    search: 'grid',
    space: {},
    cvFolds: 3,
    testFraction: 0.2,
    seed: params.seed,
    bestParams: params,
    bestCvMse: 0,
    trials: [],
    test: { rows: 0, mse: 0, rmse: 0, r2: 0 },
    train: { rows: n },
    noiseVariance: null,
    noSignal: null,
    lineage: { batches: [], files: [] },
    codeVersion: 'test',
    timings: { searchSeconds: 0, refitSeconds: 0, totalSeconds: 0 },
    forest,
    createdAt: Date.now(),
  } satisfies ModelVersionMetadata;
  const files: Record<string, Uint8Array | string> = {
    [MODEL_FILES.model]: bytes,
    [MODEL_FILES.forestJson]: JSON.stringify(forest),
    [MODEL_FILES.scaler]: JSON.stringify(scaler.toJSON()),
    [MODEL_FILES.metadata]: JSON.stringify(metadata),
  };
  tamper?.(files);
  await registry.publishVersion(name, version, files);
  return version;
}
