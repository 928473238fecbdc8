import { ForestFormatError } from './errors';
import { RandomForestClassifier, RandomForestRegressor } from './forest';
import type { ResolvedParams } from './params';
import { FORMAT_MAGIC, FORMAT_VERSION, deserializeForest, modelChecksum, serializeForest } from './serialize';

/** The JSON written beside a model file. */
export interface ModelMetadata {
  format: typeof FORMAT_MAGIC;
  formatVersion: number;
  kind: 'regression' | 'classification';
  nFeatures: number;
  nTrees: number;
  nNodes: number;
  byteLength: number;
  /** Hex SHA-256 of the whole model file. */
  sha256: string;
  params: ResolvedParams;
  classes?: number[];
  featureNames?: string[];
}

export type ForestModel = RandomForestRegressor | RandomForestClassifier;

/** A fitted model as the binary file plus its JSON metadata. */
export function saveModel(
  model: ForestModel,
  options: { featureNames?: string[] } = {},
): { bytes: Uint8Array; metadata: ModelMetadata } {
  const forest = model.forest;
  const kind = model instanceof RandomForestClassifier ? 'classification' : 'regression';
  const classes = model instanceof RandomForestClassifier ? model.classes : undefined;
  const bytes = serializeForest({ kind, forest, classes });
  const metadata: ModelMetadata = {
    format: FORMAT_MAGIC,
    formatVersion: FORMAT_VERSION,
    kind,
    nFeatures: forest.nFeatures,
    nTrees: forest.nTrees,
    nNodes: forest.roots[forest.nTrees],
    byteLength: bytes.length,
    sha256: modelChecksum(bytes),
    params: model.params,
    ...(classes ? { classes: Array.from(classes) } : {}),
    ...(options.featureNames ? { featureNames: options.featureNames } : {}),
  };
  return { bytes, metadata };
}

/** Loads a model file; with metadata, also checks that the file is the one it describes. */
export function loadModel(bytes: Uint8Array, metadata?: ModelMetadata): ForestModel {
  if (metadata) {
    if (metadata.format !== FORMAT_MAGIC)
      throw new ForestFormatError(`metadata describes format ${metadata.format}`);
    const sum = modelChecksum(bytes);
    if (sum !== metadata.sha256) {
      throw new ForestFormatError(
        `model file checksum ${sum} does not match the metadata's ${metadata.sha256}`,
      );
    }
  }
  const stored = deserializeForest(bytes);
  const params = metadata ? { ...metadata.params, nJobs: undefined } : {};
  if (stored.kind === 'classification')
    return RandomForestClassifier.fromForest(stored.forest, stored.classes!, params);
  return RandomForestRegressor.fromForest(stored.forest, params);
}
