import { createHash } from 'node:crypto';
import { MemorySource, ParquetReader, writeParquet } from '@lakestream/columnar';
import type { ChunkDescriptor } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import { histogramOf } from '@lakestream/drift';
import {
  HdfsAlreadyExistsError,
  type HdfsClient,
  HdfsNotFoundError,
  createIfAbsent,
  readJsonFile,
} from '@lakestream/hdfs';
import type { LoadedModel } from '@lakestream/models';
import { PredictionInputError } from './errors';
import type { PredictionPartial } from './prediction-partial';
import { scoreTable } from './score-table';

export interface PredictPartitionOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  worker: string;
  /** Bin edges of the predictions' histogram (config drift.bins.prediction); none without. */
  predictionEdges?: readonly number[];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Predicts one clean partition with one model version, or finds it already done. The output is
 * a pure function of (input file, model version), so a redelivery writes the same bytes or
 * nothing: the Parquet file is created exclusively at its final path, then the partial.
 */
export async function predictPartition(
  d: ChunkDescriptor,
  m: LoadedModel,
  o: PredictPartitionOptions,
): Promise<{ partial: PredictionPartial; reused: boolean }> {
  if (d.stage !== 'clean')
    throw new PredictionInputError(d.path, `expected a clean chunk descriptor, got stage ${d.stage}`);
  const partialPath = o.paths.predictionPartial(d.dataset, m.name, m.version, d.batch, d.partition);
  const done = await readJsonFile<PredictionPartial>(o.hdfs, partialPath);
  if (done) return { partial: done, reused: true };

  const startedAt = Date.now();
  const rssBefore = process.memoryUsage().rss;
  const bytes = await o.hdfs.readFile(d.path, { maxBytes: Math.max(d.bytes, 1) * 2 }).catch((error) => {
    if (error instanceof HdfsNotFoundError)
      throw new PredictionInputError(d.path, 'the clean partition named by the descriptor does not exist');
    throw error;
  });
  if (bytes.byteLength !== d.bytes || sha256(bytes) !== d.checksum)
    throw new PredictionInputError(
      d.path,
      `file does not match its descriptor (${bytes.byteLength} bytes, expected ${d.bytes} with sha256 ${d.checksum.slice(0, 12)}…): corrupt or replaced`,
    );
  const reader = await ParquetReader.open(new MemorySource(d.path, bytes));
  const wanted = new Set(['id', ...m.metadata.features, m.metadata.target]);
  const columns = reader.footer.fields.filter((f) => wanted.has(f));
  const tables = [];
  for await (const { table } of reader.rowGroups({ columns })) tables.push(table);
  const input = tables.length === 0 ? reader.readEmpty({ columns }) : tables[0]!.concat(...tables.slice(1));
  const readAt = Date.now();

  const scored = scoreTable(input, m, d.path);
  const scoredAt = Date.now();
  const path = o.paths.predictionPartition(d.dataset, m.name, m.version, d.batch, d.partition);
  const out = writeParquet(scored.table, {
    compression: 'snappy',
    destination: path,
    metadata: { 'lakestream.model': `${m.name}@v${m.version}`, 'lakestream.input': d.path },
  });
  const predictedAt = Date.now();
  const checksum = sha256(out);
  try {
    await o.hdfs.createExclusive(path, out);
  } catch (error) {
    if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    // An earlier attempt died between the file and its partial; replace it only if it differs.
    const there = await o.hdfs.readFile(path, { maxBytes: out.byteLength + 1 });
    if (sha256(there) !== checksum) {
      await o.hdfs.delete(path);
      await o.hdfs.createExclusive(path, out);
    }
  }
  const finishedAt = Date.now();
  const partial: PredictionPartial = {
    written: {
      dataset: d.dataset,
      batch: d.batch,
      partition: d.partition,
      partitions: d.partitions,
      model: m.name,
      version: m.version,
      path,
      rows: scored.rows,
      bytes: out.byteLength,
      checksum,
      input: { path: d.path, checksum: d.checksum },
      seconds: (finishedAt - startedAt) / 1000,
      mse: scored.sse === null || scored.labelled === 0 ? null : scored.sse / scored.labelled,
      createdAt: finishedAt,
    },
    predicted: scored.predicted,
    sse: scored.sse,
    labelled: scored.labelled,
    ...(o.predictionEdges
      ? {
          histogram: histogramOf('prediction', o.predictionEdges, scored.prediction, { valid: scored.valid }),
        }
      : {}),
    startedAt,
    finishedAt,
    timings: {
      readMs: readAt - startedAt,
      predictMs: scoredAt - readAt,
      encodeMs: predictedAt - scoredAt,
      writeMs: finishedAt - predictedAt,
    },
    memory: { rssBefore, rssAfter: process.memoryUsage().rss },
    worker: o.worker,
  };
  if (await createIfAbsent(o.hdfs, partialPath, JSON.stringify(partial))) return { partial, reused: false };
  return { partial: (await readJsonFile<PredictionPartial>(o.hdfs, partialPath))!, reused: true };
}
