import { dlqTopic, TOPICS } from '@lakestream/contracts';
import { InvalidInputError, LakeError, sleep } from '@lakestream/core';
import type { EmployeeRow } from '@lakestream/etl-core';
import type { EtlReportFile } from '@lakestream/etl';
import { HdfsNotFoundError } from '@lakestream/hdfs';
import type { Command } from 'commander';
import { type Clients, lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, printJson, table } from '../output/print';
import { Progress } from '../output/progress';
import { waitForPredictions } from './wait-predictions';

/** `<batch>` or `<dataset>/<batch>`. */
export function batchRef(ref: string, dataset: string): { dataset: string; batch: string } {
  const [a, b] = ref.includes('/') ? ref.split('/', 2) : [dataset, ref];
  return { dataset: a!, batch: b! };
}

export const etlReportPath = (c: Clients, dataset: string, batch: string) =>
  `${c.paths.reports(dataset, batch)}/etl_report.json`;

/** Some partitions of a batch were refused by the ETL (bad input, dead-lettered): it will not finish. */
export class EtlBatchRefusedError extends LakeError {
  constructor(
    readonly dataset: string,
    readonly batch: string,
    readonly partitions: number,
    readonly refused: number,
    reasons: ({ partition: number; error: string } | undefined)[],
  ) {
    const shown = reasons
      .filter((r) => r !== undefined)
      .map((r) => `\n  partition ${r.partition}: ${r.error}`)
      .join('');
    super(
      `the ETL of ${dataset}/${batch} cannot finish: ${refused} of ${partitions} partitions were refused as bad input (their descriptors are in ${dlqTopic(TOPICS.chunksRaw.name)}), the other ${partitions - refused} are cleaned:${shown}${refused > reasons.length ? `\n  … and ${refused - reasons.length} more` : ''}`,
    );
  }
}

/** Waits, with progress, until the batch's ETL report exists (or only refused partitions are left); returns it. */
export async function waitForEtl(
  clients: Clients,
  dataset: string,
  batch: string,
  timeoutMs: number,
  silent = false,
): Promise<EtlReportFile> {
  const deadline = Date.now() + timeoutMs;
  const manifest = await clients.readJson<{ partitions: number; rows: number }>(
    clients.paths.manifest(dataset, batch),
  );
  if (!manifest)
    throw new InvalidInputError(
      `no batch ${batch} in dataset ${dataset} (no ${clients.paths.manifest(dataset, batch)}): publish it first`,
      'batch',
    );
  const progress = new Progress(`etl ${dataset}/${batch}`, manifest.partitions, 'partitions', silent);
  const partialsDir = clients.paths.partial(dataset, batch, 0).replace(/\/[^/]+$/, '');
  const failedDir = clients.paths.failedPartition(dataset, batch, 0).replace(/\/[^/]+$/, '');
  const names = async (dir: string): Promise<string[]> =>
    clients.hdfs.list(dir).then(
      (l) => l.map((s) => s.name),
      (error) => (error instanceof HdfsNotFoundError ? ([] as string[]) : Promise.reject(error)),
    );
  for (;;) {
    const report = await clients.readJson<EtlReportFile>(etlReportPath(clients, dataset, batch));
    if (report) {
      progress.update(manifest.partitions);
      progress.done(`${report.rowsIn} rows in ${report.seconds.toFixed(1)} s`);
      return report;
    }
    const partials = await names(partialsDir);
    const done = partials.length;
    progress.update(done);
    // Partitions the ETL refused (dead-lettered) never get a partial: once only they are left, say so.
    const failed = (await names(failedDir)).filter((n) => !partials.includes(n));
    if (failed.length > 0 && done + failed.length >= manifest.partitions) {
      const reasons = await Promise.all(
        failed
          .slice(0, 5)
          .map((n) => clients.readJson<{ partition: number; error: string }>(`${failedDir}/${n}`)),
      );
      throw new EtlBatchRefusedError(dataset, batch, manifest.partitions, failed.length, reasons);
    }
    if (Date.now() > deadline)
      throw new InvalidInputError(
        `the ETL of ${dataset}/${batch} did not finish within ${timeoutMs / 1000} s (${done}/${manifest.partitions} partitions done); is \`lake serve etl\` running?`,
        'batch',
      );
    await sleep(500);
  }
}

const fmtRow = (r: EmployeeRow) => [
  r.id,
  r.full_name,
  r.age,
  r.salary.toFixed(2),
  new Date(r.signup_date).toISOString().slice(0, 10),
  String(r.is_active),
];
const COLS = ['id', 'full_name', 'age', 'salary', 'signup_date', 'is_active'];

export function printEtlReport(r: EtlReportFile): void {
  console.log(bold(`ETL report — ${r.dataset}/${r.batch}`));
  console.log(
    table(
      [
        'rows in',
        'rows out',
        'seconds',
        'rows/s',
        'duplicates',
        'missing',
        'invalid',
        'future dates',
        'largest worker RSS',
      ],
      [
        [
          r.rowsIn,
          r.rowsOut,
          r.seconds.toFixed(2),
          Math.round(r.rowsPerSecond),
          r.quality.duplicatesRemoved,
          Object.values(r.quality.missing).reduce((a, b) => a + b, 0),
          Object.values(r.quality.invalid ?? {}).reduce((a, b) => a + b, 0),
          r.quality.futureSignupDates,
          `${(r.memory.rssAfterMax / 2 ** 20).toFixed(0)} MiB`,
        ],
      ],
    ),
  );
  console.log(
    `\n${bold('Query 1 — top 10 earners (duplicates removed)')}\n${table(COLS, r.topEarners.map(fmtRow))}`,
  );
  console.log(
    `\n${bold('Query 2 — 5 youngest active (ties by id)')}\n${table(COLS, r.youngestActive.map(fmtRow))}`,
  );
  console.log(
    `\n${bold('Query 2 — 5 oldest active (ties by id)')}\n${table(COLS, r.oldestActive.map(fmtRow))}`,
  );
  console.log(`\nclean data: hdfs://${r.savedLocation}`);
}

export function registerReport(program: Command): void {
  program
    .command('wait')
    .description('block, with progress, until a stage has finished the batch')
    .argument('<batch>', 'batch id, or dataset/batch')
    .option('--dataset <name>', 'dataset of the batch', 'employees')
    .option('--stage <stage>', "etl or predict (the continuous predictions, or --model's)", 'etl')
    .option('--model <ref>', 'with --stage predict: name@version or name@alias instead of the pinned version')
    .option('--timeout <seconds>', 'give up after this long', '900')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        ref: string,
        flags: { dataset: string; stage: string; model?: string; timeout: string; json?: boolean },
      ) => {
        if (flags.stage !== 'etl' && flags.stage !== 'predict')
          throw new InvalidInputError(`--stage ${flags.stage}: expected etl or predict`, 'stage');
        const { dataset, batch } = batchRef(ref, flags.dataset);
        const clients = lakeClients(cliConfig(program.opts()));
        if (flags.stage === 'predict') {
          const s = await waitForPredictions(clients, dataset, batch, Number(flags.timeout) * 1000, {
            ...(flags.model ? { model: flags.model } : {}),
            silent: flags.json === true,
          });
          if (flags.json)
            printJson({
              stage: 'predict',
              dataset,
              batch,
              model: s.model,
              version: s.version,
              rows: s.rows,
              seconds: s.seconds,
              mse: s.mse,
              path: s.path,
            });
          return;
        }
        const report = await waitForEtl(clients, dataset, batch, Number(flags.timeout) * 1000, flags.json);
        if (flags.json)
          printJson({
            stage: 'etl',
            dataset,
            batch,
            rowsIn: report.rowsIn,
            rowsOut: report.rowsOut,
            seconds: report.seconds,
          });
      },
    );

  program
    .command('report')
    .description("print a batch's ETL report: the benchmark, both queries and data-quality counts")
    .argument('<batch>', 'batch id, or dataset/batch')
    .option('--dataset <name>', 'dataset of the batch', 'employees')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, flags: { dataset: string; json?: boolean }) => {
      const { dataset, batch } = batchRef(ref, flags.dataset);
      const clients = lakeClients(cliConfig(program.opts()));
      const report = await clients.readJson<EtlReportFile>(etlReportPath(clients, dataset, batch));
      if (!report)
        throw new InvalidInputError(
          `no ETL report for ${dataset}/${batch} yet (${etlReportPath(clients, dataset, batch)}); \`lake wait ${dataset}/${batch}\` waits for it`,
          'batch',
        );
      if (flags.json) printJson(report);
      else printEtlReport(report);
    });
}
