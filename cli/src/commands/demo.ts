import { availableParallelism } from 'node:os';
import { jobKey, TOPICS } from '@lakestream/contracts';
import { startEtlService } from '@lakestream/etl';
import { ModelRegistry, PRODUCTION } from '@lakestream/models';
import { PREDICTION_FILES, type PredictionSummary } from '@lakestream/prediction';
import { startPredictorService } from '@lakestream/predictor';
import { newBatchId, type PublishResult, publishSynthetic } from '@lakestream/publish';
import { smokeRoundTrip, stackUp } from '@lakestream/stack';
import { startTrainerService } from '@lakestream/trainer';
import type { Command } from 'commander';
import { type Clients, lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, dim, green, printJson } from '../output/print';
import { Progress } from '../output/progress';
import { backfill, printPredictionSummary } from './predict';
import { printEtlReport, waitForEtl } from './report';
import { printTrainResult, trainingJob, trainSummary, waitForJob } from './train';

interface DemoFlags {
  rows: string;
  dataset: string;
  quirks?: boolean;
  profile: string;
  search?: string;
  model: string;
  train?: boolean;
  json?: boolean;
}

/** Above this many rows the demo tunes with successive halving instead of the full grid. */
const HALVING_FROM_ROWS = 5_000_000;

async function publishBatch(
  clients: Clients,
  config: ReturnType<typeof cliConfig>,
  flags: DemoFlags,
  rows: number,
  silent: boolean,
): Promise<PublishResult> {
  const batch = newBatchId();
  const progress = new Progress(`publish ${batch}`, rows, 'rows', silent);
  const published = await publishSynthetic(
    {
      hdfs: clients.hdfs,
      producer: await clients.producer(),
      paths: clients.paths,
      producerName: 'lake-demo',
      // Partition p's descriptor on topic partition p mod N: consumers get equal shares.
      rawTopicPartitions: config.kafka.topicPartitions,
      onProgress: (p) => progress.update(p.rowsDone, `${p.partitionsDone}/${p.partitions} partitions`),
    },
    {
      dataset: flags.dataset,
      batch,
      rows,
      partitions: Math.max(2, Math.ceil(rows / 1_000_000)),
      profile: flags.profile as 'described' | 'study',
      quirks: flags.quirks !== false && flags.profile === 'described',
    },
  );
  progress.done(`${published.partitions} partitions, ${(published.bytes / 2 ** 20).toFixed(1)} MiB`);
  return published;
}

/** Waits until the continuous predictor has written a batch's prediction.json. */
async function waitForPredictions(
  clients: Clients,
  target: { dataset: string; batch: string; model: string; version: number },
  timeoutMs: number,
  silent: boolean,
): Promise<PredictionSummary> {
  const dir = clients.paths.predictions(target.dataset, target.model, target.version, target.batch);
  const progress = new Progress(`score ${target.batch}`, 1, 'batches', silent);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await clients.hdfs.exists(`${dir}/${PREDICTION_FILES.summary}`)) {
      const summary = JSON.parse(
        Buffer.from(
          await clients.hdfs.readFile(`${dir}/${PREDICTION_FILES.summary}`, { maxBytes: 1 << 20 }),
        ).toString('utf8'),
      ) as PredictionSummary;
      progress.done();
      return summary;
    }
    const done = (await clients.hdfs.list(`${dir}/_partials`).catch(() => [])).length;
    progress.update(0, `${done} partitions scored`);
    if (Date.now() > deadline)
      throw new Error(`the predictor did not score ${target.batch} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the pipeline end to end on the local stack: stack up if needed, services, publish, ETL, train, predict',
    )
    .option('--rows <n>', 'rows to publish (30000000 is the study size)', '2000000')
    .option('--dataset <name>', 'dataset to publish into', 'employees')
    .option('--profile <name>', 'described or study', 'described')
    .option(
      '--no-quirks',
      "publish clean data (by default the study's dirt is reproduced for the ETL to clean)",
    )
    .option('--search <kind>', `grid or halving (default: grid, halving from ${HALVING_FROM_ROWS} rows)`)
    .option('--model <name>', 'model name to train and predict with', 'salary')
    .option('--no-train', 'stop after the ETL report')
    .option('--json', 'print a JSON summary')
    .action(async (flags: DemoFlags) => {
      const started = Date.now();
      const silent = flags.json === true;
      const log = (line: string) => process.stderr.write(`${dim(line)}\n`);
      const config0 = cliConfig(program.opts());
      log('bringing the stack up (the first run downloads Kafka, Hadoop and Apicurio from Maven Central) …');
      const stack = await stackUp({ config: config0, log });
      const smoke = await smokeRoundTrip(config0, log);

      // The embedded services log only errors, so the demo's own output stays readable.
      const config = {
        ...config0,
        workers: { concurrency: Math.max(1, availableParallelism()) },
        predictor: { ...config0.predictor, model: flags.model, datasets: [flags.dataset] },
        log: { level: 'error' as const },
      };
      log(
        `starting the etl, trainer and predictor services with ${config.workers.concurrency} workers each …`,
      );
      const services = await Promise.all([
        startEtlService({ config, port: 0, shutdownHooks: false }),
        ...(flags.train === false
          ? []
          : [
              startTrainerService({ config, port: 0, shutdownHooks: false }),
              startPredictorService({ config, port: 0, shutdownHooks: false }),
            ]),
      ]);
      const clients = lakeClients(config);
      try {
        const rows = Number(flags.rows);
        const published = await publishBatch(clients, config, flags, rows, silent);
        const batch = published.batch;
        const report = await waitForEtl(clients, flags.dataset, batch, 30 * 60_000, silent);
        const hdfs: Record<string, string> = {
          raw: clients.paths.rawBatch(flags.dataset, batch),
          clean: clients.paths.cleanBatch(flags.dataset, batch),
          reports: clients.paths.reports(flags.dataset, batch),
        };

        let training: ReturnType<typeof trainSummary> | undefined;
        let predictions:
          | { backfill: PredictionSummary; continuous: PredictionSummary; newBatch: PublishResult }
          | undefined;
        let trained: Awaited<ReturnType<typeof waitForJob>> | undefined;
        if (flags.train !== false) {
          // Train: the study's grid (3-fold CV, MSE, feature age), halving on large batches.
          const search = flags.search ?? (rows >= HALVING_FROM_ROWS ? 'halving' : 'grid');
          const job = trainingJob(
            {
              dataset: flags.dataset,
              features: 'age',
              target: 'salary',
              search,
              cv: '3',
              testFraction: '0.2',
              seed: '42',
              name: flags.model,
              timeout: '3600',
            },
            [batch],
          );
          const trainStarted = Date.now();
          await (await clients.producer()).send(TOPICS.trainingJobs.name, [
            { key: jobKey(job.job), value: job },
          ]);
          trained = await waitForJob(clients, job.job, 60 * 60_000, silent);
          training = trainSummary(trained, (Date.now() - trainStarted) / 1000);
          // The demo acts as the operator: the model it just trained goes into production.
          const registry = new ModelRegistry(clients.hdfs, clients.paths);
          await registry.promote(trained.name, trained.version, PRODUCTION);
          hdfs.model = registry.versionDir(trained.name, trained.version);

          // Predict: the batch cleaned before the model existed is backfilled; a new batch is
          // then scored by the predictor service as it arrives, with no command.
          const backfilled = await backfill(
            clients,
            { dataset: flags.dataset, batch, model: `${trained.name}@v${trained.version}` },
            silent,
          );
          hdfs.predictions = backfilled.path;
          const newBatch = await publishBatch(
            clients,
            config,
            flags,
            Math.max(10_000, Math.round(rows / 10)),
            silent,
          );
          const continuous = await waitForPredictions(
            clients,
            { dataset: flags.dataset, batch: newBatch.batch, model: trained.name, version: trained.version },
            30 * 60_000,
            silent,
          );
          predictions = { backfill: backfilled, continuous, newBatch };
        }

        const dashboard = `http://${config.http.host}:${config.http.ports.dashboard}/`;
        const summary = {
          stack: {
            seconds: stack.seconds,
            servers: stack.servers.map((s) => ({ name: s.name, endpoint: s.endpoint })),
          },
          smoke,
          publish: published,
          etl: report,
          training,
          predictions,
          hdfs,
          dashboard: { url: dashboard, command: 'lake dashboard' },
          seconds: (Date.now() - started) / 1000,
        };
        if (flags.json) return printJson(summary);
        console.log(`\n${bold('lakestream demo')}`);
        for (const s of stack.servers) console.log(`  ${s.name.padEnd(9)} ${green('ready')}  ${s.endpoint}`);
        console.log(
          `  published ${published.rows} rows as ${flags.dataset}/${batch} in ${published.seconds.toFixed(1)} s (${Math.round(published.rows / published.seconds).toLocaleString('en-US')} rows/s)\n`,
        );
        printEtlReport(report);
        if (trained && predictions) {
          console.log('');
          printTrainResult(trained);
          console.log('');
          printPredictionSummary(predictions.backfill);
          console.log(
            `\n${bold('continuous prediction')}: new batch ${predictions.newBatch.batch} (${predictions.newBatch.rows} rows) published, cleaned and scored by the predictor service with no command: ${predictions.continuous.rows} rows in ${predictions.continuous.seconds.toFixed(2)} s`,
          );
        }
        console.log(`\n${bold('where it lies in HDFS')} (${config.hdfs.namenodeUrl}/explorer.html)`);
        for (const [k, v] of Object.entries(hdfs)) console.log(`  ${k.padEnd(11)} ${v}`);
        console.log(`\ndashboard: run \`lake dashboard\` and open ${dashboard}`);
        console.log(`demo finished in ${summary.seconds.toFixed(1)} s`);
      } finally {
        const closing = Date.now();
        await clients.close();
        await Promise.all(services.map((s) => s.close()));
        log(`services stopped in ${((Date.now() - closing) / 1000).toFixed(1)} s`);
      }
    });
}
