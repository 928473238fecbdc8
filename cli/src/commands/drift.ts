import { InvalidInputError } from '@lakestream/core';
import { ModelRegistry } from '@lakestream/models';
import { type BatchDecisionRecord, MonitorLedger } from '@lakestream/monitoring';
import {
  type BatchDrift,
  computeBatchDrift,
  DRIFT_FILE,
  type ModelChoice,
  PREDICTION_FILES,
  type PredictionSummary,
} from '@lakestream/prediction';
import type { Command } from 'commander';
import { type Clients, lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, dim, green, printJson, red, table, yellow } from '../output/print';
import { histogramRows } from './drift-print';
import { predictionsDir } from './predict';

export interface DriftAnswer {
  drift: BatchDrift;
  /** false: no drift.json (a backfill), computed now from the same inputs and not stored. */
  stored: boolean;
  /** The monitor's decision on the batch, when it made one. */
  decision: BatchDecisionRecord | null;
}

/**
 * A batch's drift: drift.json of the version that scored it continuously (or of `model`, or of
 * the newest predictions), computed now when that folder has none.
 */
export async function batchDrift(
  clients: Clients,
  thresholds: BatchDrift['thresholds'],
  o: { dataset: string; batch: string; model?: string },
): Promise<DriftAnswer> {
  const pin = o.model
    ? undefined
    : await clients.readJson<ModelChoice>(clients.paths.predictionAssignment(o.dataset, o.batch));
  const dir = pin
    ? clients.paths.predictions(o.dataset, pin.name, pin.version, o.batch)
    : await predictionsDir(clients, o.dataset, o.batch, o.model);
  const summary = await clients.readJson<PredictionSummary>(`${dir}/${PREDICTION_FILES.summary}`);
  if (!summary)
    throw new InvalidInputError(
      `${dir}: no complete predictions (no ${PREDICTION_FILES.summary}); run \`lake predict ${o.batch} --dataset ${o.dataset}\``,
      'batch',
    );
  const ledger = new MonitorLedger(clients.hdfs, clients.paths, o.dataset, summary.model);
  const decision = (await ledger.decision(o.batch)) ?? null;
  const stored = await clients.readJson<BatchDrift>(`${dir}/${DRIFT_FILE}`);
  if (stored) return { drift: stored, stored: true, decision };
  const metadata = await new ModelRegistry(clients.hdfs, clients.paths).readMetadata(
    summary.model,
    summary.version,
  );
  if (!metadata)
    throw new InvalidInputError(`model ${summary.model} v${summary.version} has no metadata.json`, 'model');
  return {
    drift: await computeBatchDrift(clients.hdfs, clients.paths, summary, metadata, thresholds, -1),
    stored: false,
    decision,
  };
}

export function printDrift({ drift: d, stored, decision }: DriftAnswer): void {
  console.log(bold(`Drift — ${d.dataset}/${d.batch}, scored by ${d.model} v${d.version}`));
  console.log(
    `  reference: training batch(es) ${d.referenceBatches.join(', ') || '(none)'}; predictions: ${d.predictionReference ?? '(none)'}`,
  );
  console.log(
    `  ${d.alert ? red('ALERT') : green('no drift')} (thresholds PSI ${d.thresholds.psi}, KS ${d.thresholds.ks}, MSE ratio ${d.thresholds.mseRatio})`,
  );
  for (const r of d.reasons) console.log(`    ${yellow(r)}`);
  console.log(
    `\n${table(
      ['column', 'PSI', 'KS', 'drifted'],
      d.drifts.map((f) => [f.column, f.psi.toFixed(4), f.ks.toFixed(4), f.drifted ? red('yes') : 'no']),
    )}`,
  );
  const { live, test, ratio } = d.mse;
  console.log(
    `\nMSE: live ${live === null ? '— (no target)' : live.toFixed(2)}, test ${test === null ? '—' : test.toFixed(2)}${ratio === null ? '' : `, ratio ${ratio.toFixed(3)}`}`,
  );
  for (const f of d.drifts)
    console.log(
      `\n${bold(f.column)} — reference (training) beside ${d.batch}\n${table(['bin', 'reference', '', d.batch, ''], histogramRows(f))}`,
    );
  for (const n of d.notes) console.log(dim(`note: ${n}`));
  if (decision)
    console.log(
      `\nmonitor (batch ${decision.seq} of the model, policy ${decision.policy.policy}): ${decision.job ? `retrain job ${decision.job.job} on ${decision.job.batches.join(', ')}` : 'no retrain'} — ${decision.reason}`,
    );
  console.log(dim(stored ? `hdfs://${d.path}` : `computed now: ${d.path} does not exist (a backfill)`));
}

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description(
      "a batch's drift against its model's training data: PSI and KS per feature, target and prediction, live vs test MSE, the histograms side by side",
    )
    .argument('<batch>', 'batch id')
    .option('--dataset <name>', 'dataset', 'employees')
    .option('--model <ref>', 'which predictions (default: the version that scored the batch as it arrived)')
    .option('--json', 'print drift.json with `stored` and the monitor `decision`')
    .action(async (batch: string, flags: { dataset: string; model?: string; json?: boolean }) => {
      const config = cliConfig(program.opts());
      const clients = lakeClients(config);
      try {
        const answer = await batchDrift(clients, config.drift.thresholds, {
          dataset: flags.dataset,
          batch,
          ...(flags.model ? { model: flags.model } : {}),
        });
        if (flags.json) printJson({ ...answer.drift, stored: answer.stored, decision: answer.decision });
        else printDrift(answer);
      } finally {
        await clients.close();
      }
    });
}
