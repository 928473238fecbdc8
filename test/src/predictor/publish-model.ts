import { RandomForestRegressor, StandardScaler } from '@lakestream/forest';
import { type ModelRegistry, publishFittedModel } from '@lakestream/models';

/** Fits a small forest on (features → target) rows and publishes it as the next version of `name`. */
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
  return publishFittedModel(
    registry,
    name,
    { model, scaler, features: data.features, target: data.target },
    { dataset: 'predictor-test', bestParams: params, train: { rows: n } },
    tamper,
  );
}
