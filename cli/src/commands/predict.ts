import { createWriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { finished } from 'node:stream/promises';
import { ParquetReader } from '@lakestream/columnar';
import { chunkKey, TOPICS } from '@lakestream/contracts';
import { InvalidInputError } from '@lakestream/core';
import { rangeEdges } from '@lakestream/drift';
import { ModelRegistry, parseModelRef } from '@lakestream/models';
import {
  exportPredictionsCsv,
  PREDICTION_FILES,
  type PredictionSummary,
  predictBatch,
} from '@lakestream/prediction';
import type { Command } from 'commander';
import { type Clients, lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, dim, printJson, table } from '../output/print';
import { Progress } from '../output/progress';

/**
 * Predicts a clean batch with a model version in this process (the backfill path);
 * `predictionEdges` (config drift.bins.prediction) give prediction.json its histogram.
 */
export async function backfill(
  clients: Clients,
  target: { dataset: string; batch: string; model: string },
  silent: boolean,
  predictionEdges?: readonly number[],
): Promise<PredictionSummary> {
  const producer = await clients.producer();
  let progress: Progress | undefined;
  return predictBatch(
    {
      hdfs: clients.hdfs,
      paths: clients.paths,
      registry: new ModelRegistry(clients.hdfs, clients.paths),
      worker: `lake-cli@${hostname()}/${process.pid}`,
      ...(predictionEdges ? { predictionEdges } : {}),
      onWritten: async (written) => {
        await producer.send(TOPICS.predictions.name, [
          { key: chunkKey(written.dataset, written.batch, written.partition), value: written },
        ]);
      },
      onProgress: (p) => {
        progress ??= new Progress(`predict ${target.batch}`, p.partitions, 'partitions', silent);
        progress.update(p.partitionsDone, `${p.rowsDone.toLocaleString('en-US')} rows`);
        if (p.partitionsDone === p.partitions) progress.done();
      },
    },
    { dataset: target.dataset, batch: target.batch, model: parseModelRef(target.model) },
  );
}

export function printPredictionSummary(s: PredictionSummary): void {
  console.log(bold(`Predictions — ${s.dataset}/${s.batch} with ${s.model} v${s.version}`));
  console.log(
    `  ${s.rows.toLocaleString('en-US')} rows in ${s.seconds.toFixed(2)} s (${Math.round(s.rowsPerSecond).toLocaleString('en-US')} rows/s, ${s.workers.length} worker(s), ${s.partitions} partitions)`,
  );
  if (s.mse !== null)
    console.log(
      `  MSE against the target: ${s.mse.toFixed(2)} over ${s.labelled.toLocaleString('en-US')} rows`,
    );
  console.log(`  hdfs://${s.path}/  (part-*.parquet, ${PREDICTION_FILES.log}, ${PREDICTION_FILES.summary})`);
}

/** The predictions folder of a batch: the given model version's, else the newest complete one. */
export async function predictionsDir(
  clients: Clients,
  dataset: string,
  batch: string,
  model?: string,
): Promise<string> {
  if (model) {
    const { name, version } = await new ModelRegistry(clients.hdfs, clients.paths).resolve(model);
    return clients.paths.predictions(dataset, name, version, batch);
  }
  const root = `${clients.paths.dataset(dataset)}/predictions`;
  const candidates: { dir: string; at: number }[] = [];
  for (const e of await clients.hdfs.list(root).catch(() => [])) {
    if (!e.name.startsWith('model=')) continue;
    const dir = `${root}/${e.name}/batch=${batch}`;
    const s = await clients.readJson<PredictionSummary>(`${dir}/${PREDICTION_FILES.summary}`);
    if (s) candidates.push({ dir, at: s.createdAt });
  }
  candidates.sort((a, b) => b.at - a.at);
  if (!candidates[0])
    throw new InvalidInputError(
      `no complete predictions for ${dataset}/${batch}; run \`lake predict ${batch} --dataset ${dataset}\``,
      'batch',
    );
  return candidates[0].dir;
}

async function firstRows(
  clients: Clients,
  dir: string,
  n: number,
): Promise<{ head: string[]; rows: unknown[][] }> {
  const parts = (await clients.hdfs.list(dir))
    .filter((e) => /^part-\d+\.parquet$/.test(e.name))
    .map((e) => e.name);
  parts.sort();
  if (!parts[0]) return { head: [], rows: [] };
  const reader = await ParquetReader.open(clients.hdfs.source(`${dir}/${parts[0]}`));
  const t = await reader.readRowGroup(0);
  const head = reader.footer.fields;
  const rows = [];
  for (let i = 0; i < Math.min(n, t.numRows); i++) rows.push(head.map((h) => t.getChild(h)!.get(i)));
  return { head, rows };
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description(
      'predict a clean batch with a model version now (backfill); new batches are scored by `lake serve predictor`',
    )
    .argument('<batch>', 'clean batch id')
    .option('--dataset <name>', 'dataset', 'employees')
    .option('--model <ref>', 'name, name@3 or name@alias (default: the configured model at its alias)')
    .option('--json', 'print the summary as JSON')
    .action(async (batch: string, flags: { dataset: string; model?: string; json?: boolean }) => {
      const config = cliConfig(program.opts());
      const clients = lakeClients(config);
      try {
        const model = flags.model ?? `${config.predictor.model}@${config.predictor.alias}`;
        const bins = config.drift.bins.prediction;
        const summary = await backfill(
          clients,
          { dataset: flags.dataset, batch, model },
          flags.json === true,
          bins ? rangeEdges(bins) : undefined,
        );
        if (flags.json) printJson(summary);
        else printPredictionSummary(summary);
      } finally {
        await clients.close();
      }
    });

  program
    .command('predictions')
    .description(
      "a batch's predictions: the summary and first rows, or all of them as CSV (like the study's predictions.csv)",
    )
    .argument('<batch>', 'batch id')
    .option('--dataset <name>', 'dataset', 'employees')
    .option('--model <ref>', 'which model version (default: the one that scored the batch)')
    .option(
      '--csv <file>',
      'write every prediction to this CSV file (streamed, bounded memory); - for stdout',
    )
    .option('--json', 'print the summary as JSON')
    .action(
      async (batch: string, flags: { dataset: string; model?: string; csv?: string; json?: boolean }) => {
        const clients = lakeClients(cliConfig(program.opts()));
        try {
          const dir = await predictionsDir(clients, flags.dataset, batch, flags.model);
          if (flags.csv) {
            const out = flags.csv === '-' ? process.stdout : createWriteStream(flags.csv);
            const { rows, files } = await exportPredictionsCsv(clients.hdfs, dir, out);
            if (out !== process.stdout) {
              out.end();
              await finished(out);
              process.stderr.write(
                dim(`${rows} predictions from ${files} files of ${dir} written to ${flags.csv}\n`),
              );
            }
            return;
          }
          const summary = await clients.readJson<PredictionSummary>(`${dir}/${PREDICTION_FILES.summary}`);
          if (!summary)
            throw new InvalidInputError(`${dir}: not complete (no ${PREDICTION_FILES.summary})`, 'batch');
          if (flags.json) return printJson(summary);
          printPredictionSummary(summary);
          const { head, rows } = await firstRows(clients, dir, 5);
          console.log(
            `\n${table(
              head,
              rows.map((r) =>
                r.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(6) : String(v))),
              ),
            )}`,
          );
        } finally {
          await clients.close();
        }
      },
    );
}
