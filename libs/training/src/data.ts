import { float64Column, readParquetColumns } from '@lakestream/columnar';
import type { LakePaths } from '@lakestream/core';
import { type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import { assignFolds } from '@lakestream/tuning';
import { TrainingJobError } from './errors';

/** What a model is trained from: the needed columns of the clean partitions, rows with a missing value dropped. */
export interface TrainingData {
  nRows: number;
  ids: Float64Array;
  /** One column per feature, in the job's order. */
  x: Float64Array[];
  y: Float64Array;
  /** Rows dropped because a needed value was missing. */
  dropped: number;
  files: { path: string; checksum: string; rows: number }[];
}

export interface DataRequest {
  job: string;
  dataset: string;
  batches: string[];
  features: string[];
  target: string;
}

interface PartialClean {
  clean: { path: string; checksum: string; rows: number; partition: number };
}

/** The clean files of a batch with their checksums, from the ETL's partials; the batch must be complete. */
export async function cleanFiles(
  hdfs: HdfsClient,
  paths: LakePaths,
  job: string,
  dataset: string,
  batch: string,
): Promise<{ path: string; checksum: string; rows: number }[]> {
  const clean = paths.cleanBatch(dataset, batch);
  if (!(await hdfs.exists(`${clean}/_SUCCESS`)))
    throw new TrainingJobError(job, `batch ${dataset}/${batch} is not cleaned yet (no ${clean}/_SUCCESS)`);
  const dir = paths.partial(dataset, batch, 0).replace(/\/[^/]+$/, '');
  let entries: { name: string }[];
  try {
    entries = await hdfs.list(dir);
  } catch (error) {
    if (!(error instanceof HdfsNotFoundError)) throw error;
    entries = [];
  }
  const out: { path: string; checksum: string; rows: number; partition: number }[] = [];
  for (const e of entries) {
    const p = JSON.parse(
      Buffer.from(await hdfs.readFile(`${dir}/${e.name}`, { maxBytes: 16 << 20 })).toString('utf8'),
    ) as PartialClean;
    out.push(p.clean);
  }
  if (out.length === 0) {
    // No partials (an older layout): the files themselves, without checksums.
    for (const f of await hdfs.list(clean))
      if (f.name.endsWith('.parquet'))
        out.push({ path: f.path, checksum: '', rows: 0, partition: out.length });
  }
  return out
    .sort((a, b) => a.partition - b.partition)
    .map(({ path, checksum, rows }) => ({ path, checksum, rows }));
}

/**
 * Reads id, the features and the target of every clean partition of the batches; drops rows with
 * a missing (null) or non-finite value. Columns are copied chunk by chunk as typed arrays (nulls
 * from the validity bitmaps), straight into one array per column sized by the partials' row counts.
 */
export async function loadTrainingData(
  hdfs: HdfsClient,
  paths: LakePaths,
  r: DataRequest,
): Promise<TrainingData> {
  const files = (
    await Promise.all(r.batches.map((b) => cleanFiles(hdfs, paths, r.job, r.dataset, b)))
  ).flat();
  const names = ['id', ...r.features, r.target];
  let capacity = files.reduce((s, f) => s + f.rows, 0);
  let cols = names.map(() => new Float64Array(capacity));
  let total = 0;
  let dropped = 0;
  for (const file of files) {
    const table = await readParquetColumns(hdfs.source(file.path), { columns: names });
    const n = table.numRows;
    if (total + n > capacity) {
      // row counts unknown (older layout) or off: grow
      capacity = Math.max(2 * capacity, total + n);
      cols = cols.map((c) => {
        const grown = new Float64Array(capacity);
        grown.set(c.subarray(0, total));
        return grown;
      });
    }
    const values = names.map((name) => {
      if (!table.getChild(name)) throw new TrainingJobError(r.job, `column ${name} is not in ${file.path}`);
      try {
        return float64Column(table, name).values;
      } catch (error) {
        throw new TrainingJobError(r.job, `column ${name} of ${file.path}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    });
    // nulls are NaN here: a row is kept when every needed value is finite
    for (let c = 0; c < names.length; c++) cols[c]!.set(values[c]!, total);
    let kept = total;
    for (let i = 0; i < n; i++) {
      let ok = true;
      for (let c = 0; c < names.length; c++) if (!Number.isFinite(values[c][i]!)) ok = false;
      if (!ok) {
        dropped++;
        continue;
      }
      if (kept !== total + i) for (let c = 0; c < names.length; c++) cols[c]![kept] = values[c][i]!;
      kept++;
    }
    total = kept;
  }
  if (total === 0)
    throw new TrainingJobError(r.job, `no usable rows in ${r.dataset} batches ${r.batches.join(', ')}`);
  // a view when nothing was dropped and the sizes were known; a copy otherwise, so no slack is held
  const fit = (c: Float64Array) => (total === c.length ? c : c.slice(0, total));
  return {
    nRows: total,
    ids: fit(cols[0]!),
    x: cols.slice(1, 1 + r.features.length).map(fit),
    y: fit(cols[cols.length - 1]!),
    dropped,
    files,
  };
}

/** Folds of the rows (255 = test split), from a hash of the id: the same on every worker. */
export function foldsOf(data: TrainingData, folds: number, testFraction: number, seed: number): Uint8Array {
  return assignFolds(data.ids, folds, testFraction, seed);
}

/** Row indices where `keep(i)` holds. */
export function selectRows(n: number, keep: (i: number) => boolean): Uint32Array {
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (keep(i)) out[k++] = i;
  return out.slice(0, k);
}

/** The columns (and target) of the given rows. */
export function takeRows(data: TrainingData, rows: Uint32Array): { x: Float64Array[]; y: Float64Array } {
  const pick = (col: Float64Array) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]]!;
    return out;
  };
  return { x: data.x.map(pick), y: pick(data.y) };
}
