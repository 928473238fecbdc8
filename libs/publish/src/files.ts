import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { writeParquet } from '@lakestream/columnar';
import { assertName, InvalidInputError } from '@lakestream/core';
import type { CsvColumnType } from './csv-input';
import { readCsvFile } from './csv-input';
import type { EncodedPartition } from './encode';
import { fileSha256, type InputFile, resolveInputs } from './files-input';
import { PartitionSpill } from './files-spill';
import { type BadRow, BadRowsError, describeLocation, InputFileError } from './input-errors';
import { schemaFingerprint, sha256 } from './manifest';
import { closeParquetInput, openParquetInput, readParquetFile } from './parquet-input';
import { type PublishDeps, type PublishResult, publishBatch } from './publish-batch';
import { RAW_COLUMNS } from './raw-table';
import { newBatchId } from './synthetic';

/** Bumped whenever the same input files would publish different partitions. */
export const FILES_FORMAT_VERSION = 1;

/** Rows per partition aimed at when `partitions` is not given. */
const TARGET_PARTITION_ROWS = 1_000_000;
/** About how many CSV bytes hold a million rows of the raw table. */
const CSV_BYTES_PER_PARTITION = 64 << 20;
/** Bad rows kept in the result (all are counted). */
const BAD_ROWS_KEPT = 1000;

export interface FilesRequest {
  dataset: string;
  /** Default: a new id from the current time. */
  batch?: string;
  /** Files or folders, local paths or hdfs:// URLs; Parquet or CSV (told apart by their first bytes). */
  files: readonly string[];
  /** Names to show (messages, manifest) for `files`, one each, e.g. an upload's original file names. */
  labels?: readonly string[];
  /** Default: about one per million rows (CSV: one per 64 MiB). */
  partitions?: number;
  /** CSV column types instead of inferring them. */
  schema?: readonly CsvColumnType[];
  /** CSV field delimiter (default ','). */
  delimiter?: string;
  /** Publish the good rows and list the bad ones, instead of refusing the batch. */
  skipBadRows?: boolean;
  /** Drop columns beyond the raw table's instead of refusing the file. */
  allowExtraColumns?: boolean;
  /** Local folder for spill files and HDFS copies (default: the system's temp folder). */
  tmpDir?: string;
  /** Called as input is read (before anything is written to the lake): after every file and every few MiB. */
  onRead?: (progress: ReadProgress) => void;
}

export interface ReadProgress {
  file: string;
  filesDone: number;
  files: number;
  /** Rows read from the files done (good ones). */
  rows: number;
  bytesRead: number;
  /** Bytes of all input files. */
  bytes: number;
}

export interface FilesPublishResult extends PublishResult {
  /** Rows refused (all of them counted; at most 1000 listed). */
  badRowCount: number;
  badRows: BadRow[];
}

function defaultPartitions(files: readonly InputFile[], parquetRows: number): number {
  let csvBytes = 0;
  for (const f of files) if (f.format === 'csv') csvBytes += f.bytes;
  const estimate =
    Math.ceil(csvBytes / CSV_BYTES_PER_PARTITION) + Math.ceil(parquetRows / TARGET_PARTITION_ROWS);
  return Math.max(1, estimate);
}

/**
 * Publishes Parquet and CSV files as one batch: every row goes to the partition of its id's
 * hash, through per-partition spill files on local disk, so memory is bounded by one
 * partition whatever the input's size. All input is read and checked before anything is
 * written to the lake: a bad file (or bad rows, unless `skipBadRows`) publishes nothing.
 * The content hash covers the input bytes and the options that shape the output.
 */
export async function publishFiles(deps: PublishDeps, request: FilesRequest): Promise<FilesPublishResult> {
  const dataset = assertName('dataset', request.dataset);
  const batch = assertName('batch', request.batch ?? newBatchId());
  if (request.partitions !== undefined && (!Number.isInteger(request.partitions) || request.partitions < 1))
    throw new InvalidInputError(
      `partitions ${request.partitions}: expected a positive integer`,
      'partitions',
    );
  const delimiter = request.delimiter === '\\t' || request.delimiter === 'tab' ? '\t' : request.delimiter;
  if (
    delimiter !== undefined &&
    (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')
  )
    throw new InvalidInputError(
      `delimiter ${JSON.stringify(request.delimiter)}: expected one character (or \\t)`,
      'delimiter',
    );
  const tmp = request.tmpDir ?? tmpdir();
  const inputs = await resolveInputs(request.files, deps.hdfs, tmp);
  const badRows: BadRow[] = [];
  let badRowCount = 0;
  const readers = new Map<InputFile, Awaited<ReturnType<typeof openParquetInput>>>();
  try {
    const { files } = inputs;
    if (request.labels && request.labels.length === files.length)
      request.labels.forEach((label, k) => {
        files[k]!.name = label;
      });
    let parquetRows = 0;
    const hashes: string[] = [];
    for (const f of files) {
      if (f.format === 'parquet') {
        const reader = await openParquetInput(f.localPath, f.name, request.allowExtraColumns ?? false);
        readers.set(f, reader);
        parquetRows += reader.numRows;
      } else if (f.bytes === 0) {
        throw new InputFileError({ file: f.name }, 'the file is empty (a header row is required)');
      }
      hashes.push(await fileSha256(f.localPath));
    }
    const partitions = request.partitions ?? defaultPartitions(files, parquetRows);
    const shape = {
      kind: 'files',
      version: FILES_FORMAT_VERSION,
      partitions,
      files: hashes,
      schema: request.schema ?? null,
      delimiter: delimiter ?? ',',
      skipBadRows: request.skipBadRows ?? false,
      allowExtraColumns: request.allowExtraColumns ?? false,
    };
    const schema = RAW_COLUMNS.map((c) => ({ ...c }));
    const onBadRow = (row: BadRow): void => {
      badRowCount++;
      if (badRows.length < BAD_ROWS_KEPT) badRows.push(row);
    };

    async function* encode(): AsyncGenerator<EncodedPartition> {
      // Rows buffered before a spill write: 8192 per partition, fewer when there are many partitions (≤ ~2M rows in all).
      const spill = new PartitionSpill(
        tmp,
        partitions,
        Math.max(1024, Math.min(8192, Math.floor(2_000_000 / partitions))),
      );
      try {
        let rows = 0;
        let bytesRead = 0;
        let reported = 0;
        const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
        const progress = (file: string, filesDone: number, force: boolean) => {
          if (!force && bytesRead - reported < 16 << 20) return;
          reported = bytesRead;
          request.onRead?.({ file, filesDone, files: files.length, rows, bytesRead, bytes });
        };
        for (const [k, f] of files.entries()) {
          const before = bytesRead;
          let r: { rows: number };
          if (f.format === 'parquet') {
            const reader = readers.get(f)!;
            r = await readParquetFile(reader, f.name, spill, onBadRow, () => {
              bytesRead += f.bytes / reader.numRowGroups;
              progress(f.name, k, false);
            });
          } else {
            r = await readCsvFile(f.localPath, f.name, spill, onBadRow, {
              schema: request.schema,
              delimiter,
              allowExtraColumns: request.allowExtraColumns,
              onBytes: (n) => {
                bytesRead += n;
                progress(f.name, k, false);
              },
            });
          }
          rows += r.rows;
          bytesRead = before + f.bytes;
          progress(f.name, k + 1, true);
        }
        if (badRowCount > 0 && !request.skipBadRows) throw new BadRowsError(badRows, badRowCount);
        // Input without rows is an empty batch (the ETL reports zero rows); input whose every row
        // is bad is the wrong file or the wrong delimiter, not an empty batch.
        if (rows === 0 && badRowCount > 0)
          throw new InputFileError(
            { file: files.map((f) => f.name).join(', ') },
            `every row is bad (${badRowCount}), nothing to publish; the first: ${describeLocation(badRows[0]!)}: ${badRows[0]!.reason}`,
          );
        spill.flushAll();
        for (let p = 0; p < partitions; p++) {
          const { rows: n, table } = spill.read(p);
          const bytes = writeParquet(table, { compression: 'snappy', destination: `partition ${p}` });
          yield { partition: p, rows: n, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
        }
      } finally {
        spill.close();
      }
    }

    const result = await publishBatch(deps, {
      dataset,
      batch,
      partitions,
      contentHash: sha256(JSON.stringify(shape)),
      schema,
      schemaFingerprint: schemaFingerprint(schema),
      source: { kind: 'files', profile: null, seed: null, quirks: false, files: files.map((f) => f.name) },
      encode,
    });
    return { ...result, badRowCount, badRows };
  } finally {
    for (const reader of readers.values()) await closeParquetInput(reader);
    inputs.cleanup();
  }
}
