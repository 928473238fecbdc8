import type { TrainingJob } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import type { HdfsClient } from '@lakestream/hdfs';
import { type DataRequest, foldsOf, loadTrainingData, type TrainingData } from './data';
import { type PreparedData, prepareData, type TrialRows, trialRows } from './prepared';

/** A job's prepared training split and what the model's metadata says about its source. */
export interface JobData {
  prepared: PreparedData;
  nRows: number;
  dropped: number;
  files: TrainingData['files'];
}

/**
 * The data a worker last prepared, by dataset, batches, columns, split and folds (a worker mostly
 * runs trials of one job at a time): loaded once, scaled and binned once; the raw columns are not
 * kept. Trial row subsets are kept per (fold, sample fraction) for the rung in progress.
 */
export class TrainingDataCache {
  private key?: string;
  private data?: Promise<JobData>;
  private readonly rows = new Map<string, TrialRows>();

  constructor(
    private readonly hdfs: HdfsClient,
    private readonly paths: LakePaths,
    private readonly options: { keepTest?: boolean } = {},
  ) {}

  get(job: TrainingJob): Promise<JobData> {
    const r: DataRequest = {
      job: job.job,
      dataset: job.dataset,
      batches: job.batches,
      features: job.features,
      target: job.target,
    };
    const key = JSON.stringify([
      r.dataset,
      r.batches,
      r.features,
      r.target,
      job.cvFolds,
      job.testFraction,
      job.seed,
    ]);
    if (key !== this.key || !this.data) {
      this.key = key;
      this.rows.clear();
      // the previous job's arrays go before the next are loaded: one job's data at a time
      this.data = undefined;
      const loading = (async () => {
        const data = await loadTrainingData(this.hdfs, this.paths, r);
        const folds = foldsOf(data, job.cvFolds, job.testFraction, job.seed);
        return {
          prepared: await prepareData(data, folds, job.seed, this.options),
          nRows: data.nRows,
          dropped: data.dropped,
          files: data.files,
        };
      })();
      this.data = loading;
      loading.catch(() => {
        if (this.data === loading) this.data = undefined;
      });
    }
    return this.data;
  }

  /** The rows of a trial; subsets of other fractions (an earlier rung) are dropped. */
  trialRows(data: JobData, fold: number, fraction: number): TrialRows {
    const key = `${fold}/${fraction}`;
    let rows = this.rows.get(key);
    if (!rows) {
      for (const k of this.rows.keys()) if (!k.endsWith(`/${fraction}`)) this.rows.delete(k);
      rows = trialRows(data.prepared, fold, fraction);
      this.rows.set(key, rows);
    }
    return rows;
  }
}
