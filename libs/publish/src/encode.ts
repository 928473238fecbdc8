import { createHash } from 'node:crypto';
import { writeParquet } from '@lakestream/columnar';
import { generatePartition, type PartitionOptions } from '@lakestream/dataset';
import { partitionToArrow } from './raw-table';

export interface EncodedPartition {
  partition: number;
  rows: number;
  bytes: Uint8Array;
  /** sha256 of the file's bytes, lowercase hex. */
  sha256: string;
}

/** Generates one partition and encodes it as a Parquet file (snappy, row groups of 128k rows). */
export function encodeSyntheticPartition(options: PartitionOptions): EncodedPartition {
  const columns = generatePartition(options);
  const bytes = writeParquet(partitionToArrow(columns), {
    compression: 'snappy',
    destination: `partition ${options.partition}`,
  });
  return {
    partition: options.partition,
    rows: columns.count,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
