import { InvalidInputError, sleep } from '@lakestream/core';
import { HdfsNotFoundError } from '@lakestream/hdfs';
import { ModelRegistry } from '@lakestream/models';
import { type ModelChoice, PREDICTION_FILES, type PredictionSummary } from '@lakestream/prediction';
import type { Clients } from '../clients';
import { Progress } from '../output/progress';

async function count(clients: Clients, dir: string): Promise<number> {
  return clients.hdfs.list(dir).then(
    (l) => l.filter((s) => s.name.endsWith('.json')).length,
    (error) => (error instanceof HdfsNotFoundError ? 0 : Promise.reject(error)),
  );
}

/**
 * Waits, with progress, until a batch's predictions are complete (_SUCCESS, written after
 * prediction.json and the log) and returns their summary. Without `model`, the version the
 * continuous predictor pinned for the batch (its first scored partition chooses the one holding
 * the alias then), so the wait covers the ETL, the pin and the scoring.
 */
export async function waitForPredictions(
  clients: Clients,
  dataset: string,
  batch: string,
  timeoutMs: number,
  o: { model?: string; silent?: boolean } = {},
): Promise<PredictionSummary> {
  const deadline = Date.now() + timeoutMs;
  const manifest = await clients.readJson<{ partitions: number }>(clients.paths.manifest(dataset, batch));
  if (!manifest)
    throw new InvalidInputError(
      `no batch ${batch} in dataset ${dataset} (no ${clients.paths.manifest(dataset, batch)}): publish it first`,
      'batch',
    );
  const registry = new ModelRegistry(clients.hdfs, clients.paths);
  const fixed = o.model ? await registry.resolve(o.model) : undefined;
  const progress = new Progress(`predict ${dataset}/${batch}`, manifest.partitions, 'partitions', o.silent);
  for (;;) {
    const target =
      fixed ?? (await clients.readJson<ModelChoice>(clients.paths.predictionAssignment(dataset, batch)));
    if (target) {
      const dir = clients.paths.predictions(dataset, target.name, target.version, batch);
      if (await clients.hdfs.exists(`${dir}/${PREDICTION_FILES.success}`)) {
        const summary = await clients.readJson<PredictionSummary>(`${dir}/${PREDICTION_FILES.summary}`);
        if (summary) {
          progress.update(manifest.partitions);
          progress.done(
            `${summary.rows} rows by ${target.name} v${target.version} in ${summary.seconds.toFixed(1)} s`,
          );
          return summary;
        }
      }
      progress.update(await count(clients, `${dir}/_partials`), `${target.name} v${target.version}`);
    } else progress.update(0, 'no model pinned yet');
    if (Date.now() > deadline) {
      const why = target
        ? `is \`lake serve predictor\` running? (or \`lake predict ${batch} --dataset ${dataset}${o.model ? ` --model ${o.model}` : ''}\`)`
        : 'no model version is pinned for it yet: is the ETL done, a model promoted to production, `lake serve predictor` running?';
      throw new InvalidInputError(
        `the predictions of ${dataset}/${batch} did not finish within ${timeoutMs / 1000} s; ${why}`,
        'batch',
      );
    }
    await sleep(500);
  }
}
