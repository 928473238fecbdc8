import { hostname } from 'node:os';
import { type BatchManifest, batchKey, type ChunkDescriptor, chunkKey, TOPICS } from '@lakestream/contracts';
import type { LakePaths } from '@lakestream/core';
import { HdfsAlreadyExistsError, type HdfsClient, HdfsNotFoundError } from '@lakestream/hdfs';
import type { Producer } from '@lakestream/kafka';
import type { EncodedPartition } from './encode';
import { BatchConflictError } from './errors';
import {
  type BatchManifestFile,
  type BatchSource,
  type ColumnSpec,
  type ManifestFile,
  sha256,
} from './manifest';

/** Partition files uploaded concurrently: one stream leaves the DataNode idle while the client waits for acks. */
const UPLOADS = 3;

export interface PublishDeps {
  hdfs: HdfsClient;
  /** Idempotent producer with the registry codec. */
  producer: Producer;
  paths: LakePaths;
  /** Who publishes (recorded in descriptors), e.g. "cli@host". */
  producerName?: string;
  onProgress?: (progress: PublishProgress) => void;
  /**
   * Partitions of the raw-chunk topic (kafka.topicPartitions). When given, the descriptor of
   * partition p goes to topic partition p mod this, so N consumers get equal shares of a batch;
   * without it Kafka hashes the key, and two consumers of a 30-partition batch often get 12 and 18.
   */
  rawTopicPartitions?: number;
}

export interface PublishProgress {
  partitionsDone: number;
  partitions: number;
  rowsDone: number;
  bytesDone: number;
}

export interface PublishPlan {
  dataset: string;
  batch: string;
  partitions: number;
  contentHash: string;
  schema: ColumnSpec[];
  schemaFingerprint: string;
  source: BatchSource;
  /** Produces the encoded partitions, lazily: not called when the batch is already published. */
  encode: () => AsyncIterable<EncodedPartition>;
}

export interface PublishResult {
  dataset: string;
  batch: string;
  partitions: number;
  rows: number;
  bytes: number;
  seconds: number;
  /** 'published' the first time; 'unchanged' when the same content was already published. */
  outcome: 'published' | 'unchanged' | 'resumed';
  manifest: string;
}

/**
 * Places a batch in the lake so that it is never half-published: every partition file is
 * written atomically, then `_MANIFEST.json` (once), then the descriptors go to Kafka, then
 * `_PUBLISHED` marks them sent. Re-publishing the same content is a no-op (or finishes an
 * interrupted publish); different content under the same batch id is refused.
 */
export async function publishBatch(deps: PublishDeps, plan: PublishPlan): Promise<PublishResult> {
  const started = Date.now();
  const { hdfs, paths } = deps;
  const manifestPath = paths.manifest(plan.dataset, plan.batch);
  const existing = await readManifest(hdfs, manifestPath);
  if (existing) {
    if (existing.contentHash !== plan.contentHash)
      throw new BatchConflictError(plan.dataset, plan.batch, existing.contentHash, plan.contentHash);
    const done = await hdfs.exists(paths.published(plan.dataset, plan.batch));
    if (!done) await sendDescriptors(deps, existing);
    return result(existing, started, done ? 'unchanged' : 'resumed', manifestPath);
  }

  const files: ManifestFile[] = [];
  let rowsDone = 0;
  let bytesDone = 0;
  // Up to UPLOADS partitions go to HDFS at once while the next ones are still being encoded.
  const uploading = new Set<Promise<void>>();
  let failed: unknown;
  const upload = async (part: EncodedPartition) => {
    const path = paths.rawPartition(plan.dataset, plan.batch, part.partition);
    await placeFile(hdfs, path, part);
    files.push({
      partition: part.partition,
      path,
      rows: part.rows,
      bytes: part.bytes.byteLength,
      checksum: part.sha256,
    });
    rowsDone += part.rows;
    bytesDone += part.bytes.byteLength;
    deps.onProgress?.({ partitionsDone: files.length, partitions: plan.partitions, rowsDone, bytesDone });
  };
  for await (const part of plan.encode()) {
    const task: Promise<void> = upload(part).then(
      () => {
        uploading.delete(task);
      },
      (error: unknown) => {
        uploading.delete(task);
        failed ??= error;
      },
    );
    uploading.add(task);
    if (uploading.size >= UPLOADS) await Promise.race(uploading);
    if (failed !== undefined) break;
  }
  await Promise.all(uploading);
  if (failed !== undefined) throw failed;
  files.sort((a, b) => a.partition - b.partition);
  const manifest: BatchManifestFile = {
    dataset: plan.dataset,
    batch: plan.batch,
    partitions: plan.partitions,
    rows: rowsDone,
    bytes: bytesDone,
    schema: plan.schema,
    schemaFingerprint: plan.schemaFingerprint,
    source: plan.source,
    contentHash: plan.contentHash,
    createdAt: Date.now(),
    files,
  };
  let standing = manifest;
  try {
    await hdfs.createExclusive(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    // Someone published the same batch at the same moment: same content is fine, the first manifest stands.
    const theirs = (await readManifest(hdfs, manifestPath))!;
    if (theirs.contentHash !== plan.contentHash)
      throw new BatchConflictError(plan.dataset, plan.batch, theirs.contentHash, plan.contentHash);
    // Send its descriptors, not ours: theirs carry its createdAt (the ETL's "now"), so a re-sent descriptor is the same one.
    standing = theirs;
  }
  await sendDescriptors(deps, standing);
  return result(standing, started, 'published', manifestPath);
}

/** Writes a partition file atomically; a file already there from an interrupted run is kept only if identical. */
async function placeFile(hdfs: HdfsClient, path: string, part: EncodedPartition): Promise<void> {
  try {
    await hdfs.writeAtomically(path, part.bytes);
  } catch (error) {
    if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    const there = await hdfs
      .readFile(path, { maxBytes: part.bytes.byteLength + 1 })
      .catch(() => new Uint8Array());
    if (sha256(there) === part.sha256) return;
    // No manifest names this batch yet, so no descriptor ever pointed at the old file: replace it.
    await hdfs.delete(path);
    await hdfs.writeAtomically(path, part.bytes);
  }
}

async function sendDescriptors(deps: PublishDeps, m: BatchManifestFile): Promise<void> {
  const producerName = deps.producerName ?? `lake@${hostname()}`;
  // The batch's time, not the send's: a re-sent descriptor is the same descriptor (the ETL's "now" for future dates).
  const now = m.createdAt;
  await deps.producer.send(
    TOPICS.chunksRaw.name,
    m.files.map((f) => ({
      key: chunkKey(m.dataset, m.batch, f.partition),
      partition: deps.rawTopicPartitions ? f.partition % deps.rawTopicPartitions : undefined,
      value: {
        dataset: m.dataset,
        batch: m.batch,
        partition: f.partition,
        partitions: m.partitions,
        stage: 'raw',
        path: f.path,
        rows: f.rows,
        bytes: f.bytes,
        checksum: f.checksum,
        schemaFingerprint: m.schemaFingerprint,
        createdAt: now,
        lineage: [],
        rowGroups: null,
        attempt: 1,
        producer: producerName,
      } satisfies ChunkDescriptor,
    })),
  );
  await deps.producer.send(TOPICS.batches.name, [
    {
      key: batchKey(m.dataset, m.batch),
      value: {
        dataset: m.dataset,
        batch: m.batch,
        partitions: m.partitions,
        rows: m.rows,
        bytes: m.bytes,
        schema: m.schema,
        source: m.source,
        files: m.files.map((f) => ({ path: f.path, checksum: f.checksum })),
        contentHash: m.contentHash,
        createdAt: m.createdAt,
        producer: producerName,
      } satisfies BatchManifest,
    },
  ]);
  await deps.hdfs
    .createExclusive(deps.paths.published(m.dataset, m.batch), `${new Date().toISOString()}\n`)
    .catch((error) => {
      if (!(error instanceof HdfsAlreadyExistsError)) throw error;
    });
}

async function readManifest(hdfs: HdfsClient, path: string): Promise<BatchManifestFile | undefined> {
  try {
    return JSON.parse(
      Buffer.from(await hdfs.readFile(path, { maxBytes: 16 << 20 })).toString('utf8'),
    ) as BatchManifestFile;
  } catch (error) {
    if (error instanceof HdfsNotFoundError) return undefined;
    throw error;
  }
}

const result = (
  m: BatchManifestFile,
  started: number,
  outcome: PublishResult['outcome'],
  manifest: string,
): PublishResult => ({
  dataset: m.dataset,
  batch: m.batch,
  partitions: m.partitions,
  rows: m.rows,
  bytes: m.bytes,
  seconds: (Date.now() - started) / 1000,
  outcome,
  manifest,
});
