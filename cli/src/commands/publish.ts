import { InvalidInputError } from '@lakestream/core';
import { readFileSync } from 'node:fs';
import {
  type CsvColumnType,
  type FilesPublishResult,
  type PublishResult,
  publishFiles,
  publishSynthetic,
} from '@lakestream/publish';
import type { Command } from 'commander';
import { lakeClients } from '../clients';
import { cliConfig } from '../home';
import { printJson } from '../output/print';
import { Progress } from '../output/progress';

interface PublishFlags {
  synthetic?: boolean;
  rows?: string;
  dataset: string;
  batch?: string;
  partitions?: string;
  seed?: string;
  profile?: string;
  quirks?: boolean;
  referenceDate?: string;
  schema?: string;
  delimiter?: string;
  skipBadRows?: boolean;
  allowExtraColumns?: boolean;
  json?: boolean;
}

const int = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidInputError(`--${flag} ${JSON.stringify(v)}: expected a non-negative integer`, flag);
  return n;
};

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('publish a batch: Parquet partitions in HDFS, then its descriptors on Kafka')
    .argument('[files...]', 'Parquet or CSV files or folders (local or hdfs://)')
    .option('--synthetic', 'generate the batch instead of reading files')
    .option('--rows <n>', 'rows to generate', '1000000')
    .requiredOption('--dataset <name>', 'dataset name')
    .option('--batch <id>', 'batch id (default: a new id from the current time)')
    .option('--partitions <n>', 'partitions (rows are hash-partitioned by id)')
    .option('--seed <n>', 'generator seed', '42')
    .option(
      '--profile <name>',
      "generator profile: described (signal rising with age) or study (the study's own code)",
      'described',
    )
    .option('--quirks', "reproduce the study's dirt: future signup dates, duplicated rows, nulls")
    .option('--reference-date <date>', 'signup dates end on this day (default today)')
    .option(
      '--schema <file>',
      'CSV column types as JSON [{"name":"age","type":"int64"},…] instead of inferring them',
    )
    .option('--delimiter <char>', 'CSV field delimiter', ',')
    .option('--skip-bad-rows', 'publish the good rows and list the bad ones (default: refuse the batch)')
    .option('--allow-extra-columns', "drop columns beyond the raw table's (default: refuse the file)")
    .option('--json', 'print one JSON object')
    .action(async (files: string[], flags: PublishFlags) => {
      if (!flags.synthetic) {
        if (!files.length)
          throw new InvalidInputError('nothing to publish: give files or --synthetic', 'files');
        return publishFileArgs(program, files, flags);
      }
      if (flags.profile !== 'described' && flags.profile !== 'study')
        throw new InvalidInputError(`--profile ${flags.profile}: expected described or study`, 'profile');
      const config = cliConfig(program.opts());
      const clients = lakeClients(config);
      const rows = int('rows', flags.rows)!;
      const progress = new Progress('publish', rows, 'rows', flags.json);
      try {
        const result = await publishSynthetic(
          {
            hdfs: clients.hdfs,
            producer: await clients.producer(),
            paths: clients.paths,
            producerName: 'lake-cli',
            // Partition p's descriptor on topic partition p mod N: consumers get equal shares.
            rawTopicPartitions: config.kafka.topicPartitions,
            onProgress: (p) => progress.update(p.rowsDone, `${p.partitionsDone}/${p.partitions} partitions`),
          },
          {
            dataset: flags.dataset,
            batch: flags.batch,
            rows,
            partitions: int('partitions', flags.partitions) ?? Math.max(1, Math.ceil(rows / 1_000_000)),
            seed: int('seed', flags.seed),
            profile: flags.profile,
            quirks: flags.quirks ?? false,
            referenceDate: flags.referenceDate,
          },
        );
        report(progress, result, flags.json);
      } finally {
        await clients.close();
      }
    });
}

function report(progress: Progress, result: PublishResult, json: boolean | undefined): void {
  progress.done(
    result.outcome === 'unchanged'
      ? 'already published with the same content: nothing to do'
      : `${result.outcome}`,
  );
  if (json) printJson(result);
  else
    console.log(
      `batch ${result.batch} of ${result.dataset}: ${result.rows} rows in ${result.partitions} partitions, ${(result.bytes / 2 ** 20).toFixed(1)} MiB (${result.outcome})`,
    );
}

function readSchemaFlag(path: string): CsvColumnType[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`--schema ${path}: ${(error as Error).message}`, 'schema');
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every((c) => typeof c?.name === 'string' && typeof c?.type === 'string')
  )
    throw new InvalidInputError(`--schema ${path}: expected a JSON list of {"name", "type"}`, 'schema');
  return parsed as CsvColumnType[];
}

async function publishFileArgs(program: Command, files: string[], flags: PublishFlags): Promise<void> {
  const config = cliConfig(program.opts());
  const clients = lakeClients(config);
  const schema = flags.schema ? readSchemaFlag(flags.schema) : undefined;
  // Two phases: reading and checking the input (nothing written yet), then writing partitions.
  let reading: Progress | undefined;
  let writing: Progress | undefined;
  try {
    const result: FilesPublishResult = await publishFiles(
      {
        hdfs: clients.hdfs,
        producer: await clients.producer(),
        paths: clients.paths,
        producerName: 'lake-cli',
        // Partition p's descriptor on topic partition p mod N: consumers get equal shares.
        rawTopicPartitions: config.kafka.topicPartitions,
        onProgress: (p) => {
          if (!writing) {
            reading?.done('input read and checked');
            writing = new Progress('write', p.partitions, 'partitions', flags.json);
          }
          writing.update(p.partitionsDone, `${p.rowsDone} rows`);
        },
      },
      {
        dataset: flags.dataset,
        batch: flags.batch,
        files,
        partitions: int('partitions', flags.partitions),
        schema,
        delimiter: flags.delimiter,
        skipBadRows: flags.skipBadRows ?? false,
        allowExtraColumns: flags.allowExtraColumns ?? false,
        tmpDir: config.ingest.tmpDir,
        onRead: (r) => {
          reading ??= new Progress('read', Math.max(1, Math.round(r.bytes / 2 ** 20)), 'MiB', flags.json);
          reading.update(Math.round(r.bytesRead / 2 ** 20), `${r.filesDone}/${r.files} files`);
        },
      },
    );
    const progress = writing ?? reading ?? new Progress('publish', 1, 'batches', flags.json);
    report(progress, result, flags.json);
    if (!flags.json && result.badRowCount > 0) {
      console.log(`${result.badRowCount} bad rows skipped:`);
      for (const b of result.badRows.slice(0, 20))
        console.log(
          `  ${b.file}${b.line !== undefined ? `:${b.line}` : ` row group ${b.rowGroup}`} ${b.column ?? ''} ${b.reason}`,
        );
    }
  } finally {
    await clients.close();
  }
}
