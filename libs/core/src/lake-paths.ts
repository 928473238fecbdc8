import { assertName } from './names';

const pad = (n: number): string => String(n).padStart(5, '0');

/**
 * Every HDFS path lakestream writes, in one place (Hive-style, readable by Spark and DuckDB
 * as is). Names are validated here, so no user-given name reaches a path unchecked.
 */
export class LakePaths {
  constructor(readonly root = '/lake') {}

  dataset(dataset: string): string {
    return `${this.root}/${assertName('dataset', dataset)}`;
  }
  rawBatch(dataset: string, batch: string): string {
    return `${this.dataset(dataset)}/raw/batch=${assertName('batch', batch)}`;
  }
  rawPartition(dataset: string, batch: string, partition: number): string {
    return `${this.rawBatch(dataset, batch)}/part-${pad(partition)}.parquet`;
  }
  manifest(dataset: string, batch: string): string {
    return `${this.rawBatch(dataset, batch)}/_MANIFEST.json`;
  }
  /** Exists once the batch's descriptors were acknowledged by Kafka. */
  published(dataset: string, batch: string): string {
    return `${this.rawBatch(dataset, batch)}/_PUBLISHED`;
  }
  cleanBatch(dataset: string, batch: string): string {
    return `${this.dataset(dataset)}/clean/batch=${assertName('batch', batch)}`;
  }
  cleanPartition(dataset: string, batch: string, partition: number): string {
    return `${this.cleanBatch(dataset, batch)}/part-${pad(partition)}.parquet`;
  }
  reports(dataset: string, batch: string): string {
    return `${this.dataset(dataset)}/reports/batch=${assertName('batch', batch)}`;
  }
  /** One small JSON file per partition: the partial that the batch report merges. */
  partial(dataset: string, batch: string, partition: number): string {
    return `${this.reports(dataset, batch)}/_partials/part-${pad(partition)}.json`;
  }
  /** A raw partition the ETL refused (bad input, dead-lettered): why, so `lake wait` can say so. */
  failedPartition(dataset: string, batch: string, partition: number): string {
    return `${this.reports(dataset, batch)}/_failed/part-${pad(partition)}.json`;
  }
  model(model: string, version: number): string {
    return `${this.root}/models/${assertName('model', model)}/v${version}`;
  }
  predictions(dataset: string, model: string, version: number, batch: string): string {
    return `${this.dataset(dataset)}/predictions/model=${assertName('model', model)}-v${version}/batch=${assertName('batch', batch)}`;
  }
  predictionPartition(
    dataset: string,
    model: string,
    version: number,
    batch: string,
    partition: number,
  ): string {
    return `${this.predictions(dataset, model, version, batch)}/part-${pad(partition)}.parquet`;
  }
  /** One small JSON file per predicted partition (rows, time, error sums) that the batch summary merges. */
  predictionPartial(
    dataset: string,
    model: string,
    version: number,
    batch: string,
    partition: number,
  ): string {
    return `${this.predictions(dataset, model, version, batch)}/_partials/part-${pad(partition)}.json`;
  }
  /** Which model version scores a batch continuously: chosen once, by its first partition. */
  predictionAssignment(dataset: string, batch: string): string {
    return `${this.dataset(dataset)}/predictions/_assignments/batch=${assertName('batch', batch)}.json`;
  }
  /** The monitor's ledger of a model's batches in a dataset: sequence markers, one decision per batch. */
  monitoring(dataset: string, model: string): string {
    return `${this.dataset(dataset)}/monitoring/model=${assertName('model', model)}`;
  }
  tmp(): string {
    return `${this.root}/_tmp`;
  }
}
