import { createHash } from 'node:crypto';
import { MemorySource, ParquetReader, writeParquet } from '@lakestream/columnar';
import type { LakePaths } from '@lakestream/core';
import {
  cleanPartition,
  cleanToArrow,
  EtlInputError,
  employeesFromArrow,
  type FuturePolicy,
  type HistogramEdges,
  rawColumnsToRead,
  summarisePartition,
} from '@lakestream/etl-core';
import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import type { ChunkDescriptor } from '@lakestream/contracts';
import type { Table } from 'apache-arrow';
import type { PartialFile } from './partial-file';

export interface ProcessorOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  futurePolicy: FuturePolicy;
  worker: string;
  /** Histogram bins per column, for drift detection (config drift.bins). */
  histogramEdges?: HistogramEdges;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** The clean table's schema fingerprint: fixed by cleanToArrow's columns. */
export const CLEAN_SCHEMA_FINGERPRINT = sha256(
  JSON.stringify([
    'id:int64',
    'full_name:dict<utf8>',
    'age:int32',
    'salary:float64',
    'signup_date:timestamp[us,UTC]',
    'is_active:bool',
    'signup_in_future:bool',
  ]),
).slice(0, 16);

/**
 * Cleans one raw partition into its clean partition and partial file, or finds them already
 * done by an earlier attempt. Outputs are pure functions of the descriptor ("now" for future
 * dates is the batch's publish time), so a redelivery writes the same bytes or nothing.
 */
export async function processRawPartition(
  d: ChunkDescriptor,
  o: ProcessorOptions,
): Promise<{ partial: PartialFile; reused: boolean }> {
  const partialPath = o.paths.partial(d.dataset, d.batch, d.partition);
  const done = await readPartial(o.hdfs, partialPath);
  if (done) return { partial: done, reused: true };

  const startedAt = Date.now();
  const rssBefore = process.memoryUsage().rss;
  const raw = await o.hdfs.readFile(d.path, { maxBytes: Math.max(d.bytes, 1) * 2 }).catch((error) => {
    if (error instanceof HdfsNotFoundError)
      throw new EtlInputError(d.path, undefined, 'the raw partition named by the descriptor does not exist');
    throw error;
  });
  if (raw.byteLength !== d.bytes || sha256(raw) !== d.checksum) {
    throw new EtlInputError(
      d.path,
      undefined,
      `file does not match its descriptor (${raw.byteLength} bytes, expected ${d.bytes} with sha256 ${d.checksum.slice(0, 12)}…): corrupt or replaced`,
    );
  }
  // Only the six raw columns are decoded: extra columns (thousands, from a wide export) cost nothing.
  const reader = await ParquetReader.open(new MemorySource(d.path, raw));
  const columns = rawColumnsToRead(d.path, reader.footer.fields);
  const groups: Table[] = [];
  for await (const { table } of reader.rowGroups({ columns })) groups.push(table);
  const table = groups.length === 0 ? reader.readEmpty({ columns }) : groups[0]!.concat(...groups.slice(1));
  const readAt = Date.now();

  const employees = employeesFromArrow(table, d.path);
  const cleaned = cleanPartition(employees, {
    nowUs: BigInt(d.createdAt) * 1000n,
    futurePolicy: o.futurePolicy,
  });
  const summary = summarisePartition(employees, cleaned, o.histogramEdges);
  const cleanBytes = writeParquet(cleanToArrow(employees, cleaned), {
    compression: 'snappy',
    destination: o.paths.cleanPartition(d.dataset, d.batch, d.partition),
  });
  const cleanedAt = Date.now();

  const cleanPath = o.paths.cleanPartition(d.dataset, d.batch, d.partition);
  const checksum = sha256(cleanBytes);
  // Staged and renamed into place like writeAtomically, without asking the DataNode for its
  // own checksum (it would read the file back; the descriptor carries our sha256).
  try {
    await o.hdfs.createExclusive(cleanPath, cleanBytes);
  } catch (error) {
    if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    // An earlier attempt died between the clean file and its partial: same input, same bytes.
    const there = await o.hdfs.readFile(cleanPath, { maxBytes: cleanBytes.byteLength + 1 });
    if (sha256(there) !== checksum) {
      await o.hdfs.delete(cleanPath);
      await o.hdfs.createExclusive(cleanPath, cleanBytes);
    }
  }
  const finishedAt = Date.now();
  const partial: PartialFile = {
    clean: {
      dataset: d.dataset,
      batch: d.batch,
      partition: d.partition,
      partitions: d.partitions,
      stage: 'clean',
      path: cleanPath,
      rows: summary.rowsOut,
      bytes: cleanBytes.byteLength,
      checksum,
      schemaFingerprint: CLEAN_SCHEMA_FINGERPRINT,
      createdAt: finishedAt,
      lineage: [{ path: d.path, checksum: d.checksum }],
      rowGroups: null,
      attempt: 1,
      producer: o.worker,
    },
    raw: { path: d.path, checksum: d.checksum },
    summary,
    startedAt,
    finishedAt,
    timings: { readMs: readAt - startedAt, cleanMs: cleanedAt - readAt, writeMs: finishedAt - cleanedAt },
    memory: { rssBefore, rssAfter: process.memoryUsage().rss },
    worker: o.worker,
  };
  try {
    await o.hdfs.createExclusive(partialPath, JSON.stringify(partial));
    return { partial, reused: false };
  } catch (error) {
    if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    return { partial: (await readPartial(o.hdfs, partialPath))!, reused: true };
  }
}

export async function readPartial(hdfs: HdfsClient, path: string): Promise<PartialFile | undefined> {
  try {
    return JSON.parse(
      Buffer.from(await hdfs.readFile(path, { maxBytes: 4 << 20 })).toString('utf8'),
    ) as PartialFile;
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
}
