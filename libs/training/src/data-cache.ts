import type { LakePaths } from '@lakestream/core';
import type { HdfsClient } from '@lakestream/hdfs';
import { type DataRequest, foldsOf, loadTrainingData, type TrainingData } from './data';

/**
 * The training data a worker last loaded, by dataset, batches and columns (a worker mostly
 * runs trials of one job at a time), and its folds by (k, test fraction, seed).
 */
export class TrainingDataCache {
  private key?: string;
  private data?: Promise<TrainingData>;
  private readonly foldCache = new Map<string, Uint8Array>();

  constructor(
    private readonly hdfs: HdfsClient,
    private readonly paths: LakePaths,
  ) {}

  get(r: DataRequest): Promise<TrainingData> {
    const key = JSON.stringify([r.dataset, r.batches, r.features, r.target]);
    if (key !== this.key || !this.data) {
      this.key = key;
      this.foldCache.clear();
      this.data = loadTrainingData(this.hdfs, this.paths, r);
      this.data.catch(() => {
        if (this.key === key) this.data = undefined;
      });
    }
    return this.data;
  }

  folds(data: TrainingData, k: number, testFraction: number, seed: number): Uint8Array {
    const key = `${k}/${testFraction}/${seed}`;
    let f = this.foldCache.get(key);
    if (!f) {
      f = foldsOf(data, k, testFraction, seed);
      this.foldCache.set(key, f);
    }
    return f;
  }
}
