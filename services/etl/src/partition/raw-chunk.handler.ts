import { batchKey, type ChunkDescriptor, chunkKey, TOPICS } from '@lakestream/contracts';
import { errorMessage, isRetriable, LakeError, type LakePaths } from '@lakestream/core';
import { EtlInputError, type FuturePolicy, type HistogramEdges } from '@lakestream/etl-core';
import {
  HdfsAlreadyExistsError,
  type HdfsClient,
  HdfsNotFoundError,
  HdfsQuotaExceededError,
} from '@lakestream/hdfs';
import type { HandlerContext, InboundMessage } from '@lakestream/kafka';
import { etlPartialValue, etlReportValue } from './avro-values';
import { collectReport, type EtlReportFile, reportPath, writeReportFiles } from './batch-report';
import { processRawPartition } from './partition-processor';

export interface RawChunkHandlerOptions {
  hdfs: HdfsClient;
  paths: LakePaths;
  futurePolicy: FuturePolicy;
  worker: string;
  /** Histogram bins per column, for drift detection (config drift.bins). */
  histogramEdges?: HistogramEdges;
  /**
   * Partitions of lake.chunks.clean (kafka.topicPartitions): clean descriptor p goes to partition
   * p mod this, as ingest places raw ones, so a batch spreads evenly over the predictors (the
   * key's hash put 5 and 7 of 12 partitions on two hosts). Absent: by key.
   */
  cleanTopicPartitions?: number;
  onPartition?: (d: ChunkDescriptor, outcome: { rows: number; seconds: number; reused: boolean }) => void;
}

/**
 * Handles one raw ChunkDescriptor: cleans the partition (or finds it done), emits the clean
 * descriptor and the partial, and — when this partition completes its batch — the report.
 * Everything sent goes out with the input offset in one transaction.
 */
export function rawChunkHandler(o: RawChunkHandlerOptions) {
  const handle = handleRawChunk(o);
  return async (message: InboundMessage, ctx: HandlerContext): Promise<void> => {
    try {
      await handle(message, ctx);
    } catch (error) {
      // A full quota is an outage of the lake, not bad input: wait for space instead of dead-lettering.
      if (causedByQuota(error))
        throw new LakeError(`${error.message} (retrying until space is freed)`, {
          retriable: true,
          cause: error,
        });
      // An attempt cut short by shutdown is redelivered, not refused.
      if (!isRetriable(error) && !ctx.signal.aborted)
        await recordFailure(o, message.value as ChunkDescriptor, error, ctx.attempt);
      throw error;
    }
  };
}

/**
 * Leaves why a partition was refused beside its batch's partials, so `lake wait` can stop
 * waiting and say so (the dead letter holds the same text). Best effort: the message goes to
 * the DLQ whatever happens here, and a descriptor whose names do not validate gets no file.
 */
async function recordFailure(
  o: RawChunkHandlerOptions,
  d: ChunkDescriptor,
  error: unknown,
  attempt: number,
): Promise<void> {
  try {
    if (!Number.isInteger(d.partition) || d.partition < 0 || d.partition >= d.partitions) return;
    const path = o.paths.failedPartition(d.dataset, d.batch, d.partition);
    const failure = {
      dataset: d.dataset,
      batch: d.batch,
      partition: d.partition,
      path: d.path,
      error: errorMessage(error),
      attempt,
      worker: o.worker,
      at: Date.now(),
    };
    await o.hdfs.createExclusive(path, `${JSON.stringify(failure)}\n`);
  } catch {
    // already recorded by an earlier attempt, or the names would leave the lake: nothing to add
  }
}

function causedByQuota(error: unknown): error is Error {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof HdfsQuotaExceededError) return true;
  return false;
}

function handleRawChunk(o: RawChunkHandlerOptions) {
  return async (message: InboundMessage, ctx: HandlerContext): Promise<void> => {
    const d = message.value as ChunkDescriptor;
    if (d.stage !== 'raw')
      throw new EtlInputError(
        d.path,
        undefined,
        `expected a raw chunk descriptor on ${TOPICS.chunksRaw.name}, got stage ${d.stage}`,
      );
    const started = Date.now();
    const { partial, reused } = await processRawPartition(d, o);
    await ctx.send(
      TOPICS.chunksClean.name,
      chunkKey(d.dataset, d.batch, d.partition),
      partial.clean,
      undefined,
      o.cleanTopicPartitions ? d.partition % o.cleanTopicPartitions : undefined,
    );
    await ctx.send(TOPICS.etlPartials.name, batchKey(d.dataset, d.batch), etlPartialValue(partial));
    const report = await reportToPublish(o.hdfs, o.paths, d);
    if (report)
      await ctx.send(
        TOPICS.etlReports.name,
        batchKey(d.dataset, d.batch),
        etlReportValue(report, reportPath(o.paths, d.dataset, d.batch)),
      );
    o.onPartition?.(d, { rows: partial.summary.rowsIn, seconds: (Date.now() - started) / 1000, reused });
  };
}

/**
 * The batch report this partition must publish, if any. When its partial completes the set,
 * the first worker to create `_BUILDER` (create-without-overwrite: exactly one wins) writes
 * the report's files, `etl_report.json` and `_SUCCESS` last, and publishes it; a redelivery of
 * that same partition finishes whatever is missing and publishes it again; nobody else does.
 */
async function reportToPublish(
  hdfs: HdfsClient,
  paths: LakePaths,
  d: ChunkDescriptor,
): Promise<EtlReportFile | undefined> {
  // Most partitions are not the batch's last: one listing settles that before anything is read.
  if (!(await allPartialsPresent(hdfs, paths, d))) return undefined;
  const builderPath = `${paths.reports(d.dataset, d.batch)}/_BUILDER`;
  const builder = await readJson<{ partition: number }>(hdfs, builderPath);
  if (builder && builder.partition !== d.partition) return undefined;
  const report =
    (await readReport(hdfs, reportPath(paths, d.dataset, d.batch))) ??
    (await collectReport(hdfs, paths, d.dataset, d.batch, d.partitions, d.partition));
  if (!report) return undefined;
  if (!builder) {
    try {
      await hdfs.createExclusive(builderPath, JSON.stringify({ partition: d.partition }));
    } catch (error) {
      if (error instanceof HdfsAlreadyExistsError) return undefined;
      throw error;
    }
  }
  await writeReportFiles(hdfs, paths, report);
  return report;
}

async function allPartialsPresent(hdfs: HdfsClient, paths: LakePaths, d: ChunkDescriptor): Promise<boolean> {
  const dir = paths.partial(d.dataset, d.batch, 0).replace(/\/[^/]+$/, '');
  const files = await hdfs.list(dir).catch((error) => {
    if (error instanceof HdfsNotFoundError) return [];
    throw error;
  });
  return files.filter((s) => s.type === 'FILE' && s.name.endsWith('.json')).length >= d.partitions;
}

async function readJson<T>(hdfs: HdfsClient, path: string): Promise<T | undefined> {
  try {
    return JSON.parse(Buffer.from(await hdfs.readFile(path, { maxBytes: 16 << 20 })).toString('utf8')) as T;
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
}

export async function readReport(hdfs: HdfsClient, path: string): Promise<EtlReportFile | undefined> {
  try {
    return JSON.parse(
      Buffer.from(await hdfs.readFile(path, { maxBytes: 4 << 20 })).toString('utf8'),
    ) as EtlReportFile;
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
}
