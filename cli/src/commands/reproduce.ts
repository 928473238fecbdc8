import { availableParallelism, loadavg } from 'node:os';
import { jobKey, TOPICS } from '@lakestream/contracts';
import { InvalidInputError } from '@lakestream/core';
import {
  STUDY_QUERY1_ROWS,
  STUDY_QUERY2_OLDEST_ROWS,
  STUDY_QUERY2_YOUNGEST_ROWS,
  type StudyPrintedRow,
} from '@lakestream/dataset';
import { startEtlService } from '@lakestream/etl';
import type { EmployeeRow } from '@lakestream/etl-core';
import type { PredictionSummary } from '@lakestream/prediction';
import { newBatchId, type PublishResult, publishSynthetic } from '@lakestream/publish';
import { stackUp } from '@lakestream/stack';
import { startTrainerService } from '@lakestream/trainer';
import type { Command } from 'commander';
import { type Clients, lakeClients } from '../clients';
import { cliConfig } from '../home';
import { dim, printJson } from '../output/print';
import { Progress } from '../output/progress';
import { backfill } from './predict';
import { waitForEtl } from './report';
import { printReproduction } from './reproduce-print';
import { SALARY_VARIANCE, STUDY, STUDY_CHUNK_ROWS } from './study-figures';
import { studyQuery1 } from './study-query1';
import { trainingJob, trainSummary, waitForJob } from './train';

interface ReproduceFlags {
  rows: string;
  dataset: string;
  chunkRows: string;
  search: string;
  model: string;
  json?: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const printedAsRow = (r: StudyPrintedRow): EmployeeRow => ({
  id: r.id,
  full_name: r.name,
  age: r.age,
  salary: r.salary,
  signup_date: Date.parse(`${r.signupDate}T00:00:00Z`),
  is_active: r.isActive,
});
const sameRow = (a: EmployeeRow, b: EmployeeRow) =>
  a.id === b.id &&
  a.full_name === b.full_name &&
  a.age === b.age &&
  a.salary === b.salary &&
  day(a.signup_date) === day(b.signup_date) &&
  a.is_active === b.is_active;

async function publishStudy(
  clients: Clients,
  topicPartitions: number,
  request: { dataset: string; batch: string; rows: number; chunkRows: number },
  silent: boolean,
): Promise<PublishResult> {
  const progress = new Progress(`publish ${request.batch}`, request.rows, 'rows', silent);
  const published = await publishSynthetic(
    {
      hdfs: clients.hdfs,
      producer: await clients.producer(),
      paths: clients.paths,
      producerName: 'lake-reproduce',
      rawTopicPartitions: topicPartitions,
      onProgress: (p) => progress.update(p.rowsDone, `${p.partitionsDone}/${p.partitions} partitions`),
    },
    {
      dataset: request.dataset,
      batch: request.batch,
      rows: request.rows,
      partitions: Math.max(2, Math.ceil(request.rows / 1_000_000)),
      profile: 'study',
      studyChunkRows: request.chunkRows,
    },
  );
  progress.done(`${published.partitions} partitions`);
  return published;
}

/** Trains the study's model (feature age, target salary, the study's grid, 3-fold CV) on batches. */
async function train(
  clients: Clients,
  request: { dataset: string; batches: string[]; name: string; search: string },
  silent: boolean,
) {
  const job = trainingJob(
    {
      dataset: request.dataset,
      features: 'age',
      target: 'salary',
      search: request.search,
      cv: '3',
      testFraction: '0.2',
      seed: '42',
      name: request.name,
      timeout: '3600',
    },
    request.batches,
  );
  const started = Date.now();
  await (await clients.producer()).send(TOPICS.trainingJobs.name, [{ key: jobKey(job.job), value: job }]);
  const meta = await waitForJob(clients, job.job, 60 * 60_000, silent);
  const summary = trainSummary(meta, (Date.now() - started) / 1000);
  return { ...summary, trainRows: meta.train.rows, testRows: meta.test.rows };
}

async function cleanFiles(clients: Clients, dataset: string, batch: string): Promise<string[]> {
  const dir = clients.paths.cleanBatch(dataset, batch);
  return (await clients.hdfs.list(dir))
    .filter((e) => /^part-\d+\.parquet$/.test(e.name))
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

const predictionFigures = (s: PredictionSummary, model: string) => ({
  batch: s.batch,
  model,
  rows: s.rows,
  seconds: s.seconds,
  rowsPerSecond: s.rowsPerSecond,
  mse: s.mse,
  path: s.path,
});

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description(
      "the study's run on the local stack: its dataset bit for bit, ETL, its queries, its training and prediction, our figures beside its own",
    )
    .option('--rows <n>', "rows to publish (the study's size is 30000000)", '30000000')
    .option('--dataset <name>', 'dataset to publish into', 'study')
    .option(
      '--chunk-rows <n>',
      "rows per np.random.seed(42) chunk (the study's 5000000; smaller makes a small run repeat its rows like the study)",
      String(STUDY_CHUNK_ROWS),
    )
    .option('--search <kind>', 'search for the model on all rows: grid (the study) or halving', 'grid')
    .option('--model <prefix>', 'model names: <prefix>-sample and <prefix>-all', 'study')
    .option('--json', 'print one JSON object')
    .action(async (flags: ReproduceFlags) => {
      const rows = Number(flags.rows);
      const chunkRows = Number(flags.chunkRows);
      if (!Number.isInteger(rows) || rows < STUDY.trainingRows)
        throw new InvalidInputError(
          `--rows ${flags.rows}: expected an integer ≥ ${STUDY.trainingRows}`,
          'rows',
        );
      if (!Number.isInteger(chunkRows) || chunkRows < 1)
        throw new InvalidInputError(
          `--chunk-rows ${flags.chunkRows}: expected a positive integer`,
          'chunkRows',
        );
      const started = Date.now();
      const loadBefore = loadavg()[0]!;
      const silent = flags.json === true;
      const log = (line: string) => process.stderr.write(`${dim(line)}\n`);
      const config0 = cliConfig(program.opts());
      log('bringing the stack up …');
      await stackUp({ config: config0, log });
      const config = {
        ...config0,
        workers: { concurrency: Math.max(1, availableParallelism()) },
        log: { level: 'error' as const },
      };
      const clients = lakeClients(config);
      const services: { close(): Promise<unknown> }[] = [];
      try {
        // Publish first, with no ETL running, so the ETL time is the study's: data already in storage.
        const batch = newBatchId();
        const dataset = flags.dataset;
        const publish = (b: string, n: number) =>
          publishStudy(
            clients,
            config.kafka.topicPartitions,
            { dataset, batch: b, rows: n, chunkRows },
            silent,
          );
        const full = await publish(batch, rows);
        // The study trained on its first 10,000 rows and predicted its first 5,000: the same rows
        // (ids 0… of the first chunk) published as batches of their own.
        const sample = await publish(`${batch}-first${STUDY.trainingRows}`, STUDY.trainingRows);
        const newData = await publish(`${batch}-first${STUDY.predictionRows}`, STUDY.predictionRows);

        log(`starting the etl and trainer services with ${config.workers.concurrency} workers each …`);
        const etlStarted = Date.now();
        services.push(
          ...(await Promise.all([
            startEtlService({ config, port: 0, shutdownHooks: false }),
            startTrainerService({ config, port: 0, shutdownHooks: false }),
          ])),
        );
        const report = await waitForEtl(clients, dataset, batch, 60 * 60_000, silent);
        const etlWall = (Date.now() - etlStarted) / 1000;
        for (const b of [sample.batch, newData.batch])
          await waitForEtl(clients, dataset, b, 10 * 60_000, silent);

        log('Query 1 with the study semantics over the clean files …');
        const q1 = await studyQuery1(await cleanFiles(clients, dataset, batch), (f) =>
          clients.hdfs.source(f),
        );
        const printed = STUDY_QUERY1_ROWS.map(printedAsRow).sort(
          (a, b) => b.salary - a.salary || a.id - b.id,
        );
        const rowMatches = q1.rows.map((r, i) => printed[i] !== undefined && sameRow(r, printed[i]!));
        const comparable = chunkRows === STUDY_CHUNK_ROWS && rows >= STUDY_CHUNK_ROWS;

        const trainedSample = await train(
          clients,
          { dataset, batches: [sample.batch], name: `${flags.model}-sample`, search: 'grid' },
          silent,
        );
        const trainedAll = await train(
          clients,
          { dataset, batches: [batch], name: `${flags.model}-all`, search: flags.search },
          silent,
        );
        const modelRef = (t: typeof trainedSample) => `${t.model}@v${t.version}`;
        const predictedSample = await backfill(
          clients,
          { dataset, batch: newData.batch, model: modelRef(trainedSample) },
          silent,
        );
        const predictedAll = await backfill(clients, { dataset, batch, model: modelRef(trainedAll) }, silent);

        const summary = {
          dataset,
          rows,
          chunkRows,
          comparableWithStudy: comparable,
          machine: { cores: availableParallelism(), loadAverage: [loadBefore, loadavg()[0]!] },
          batches: { full: batch, sample: sample.batch, predict: newData.batch },
          publish: { rows: full.rows, partitions: full.partitions, bytes: full.bytes, seconds: full.seconds },
          etl: {
            seconds: report.seconds,
            wallSeconds: etlWall,
            rowsIn: report.rowsIn,
            rowsOut: report.rowsOut,
            duplicatesRemoved: report.quality.duplicatesRemoved,
            futureSignupDates: report.quality.futureSignupDates,
            study: {
              runs: STUDY.etlRuns,
              min: Math.min(...STUDY.etlRuns),
              median: median(STUDY.etlRuns),
              max: Math.max(...STUDY.etlRuns),
              machines: STUDY.machines,
            },
          },
          query1: {
            semantics:
              'drop duplicates on (full_name, salary) keeping the lowest id, then the 10 highest salaries (ties by id)',
            rows: q1.rows,
            rowMatches,
            matchesStudy: rowMatches.length === 10 && rowMatches.every(Boolean),
            study: printed,
            seconds: q1.seconds,
            rowsScanned: q1.rowsScanned,
          },
          query2: {
            youngestActive: report.youngestActive,
            oldestActive: report.oldestActive,
            study: {
              youngestActive: STUDY_QUERY2_YOUNGEST_ROWS.map(printedAsRow),
              oldestActive: STUDY_QUERY2_OLDEST_ROWS.map(printedAsRow),
            },
            note: "the study sorts the raw rows without dropping duplicates, so one employee's six copies can fill its list, and its sort has no tie-break, so which of the many 18- or 64-year-olds it shows is arbitrary; ours lists each employee once, ties by id",
          },
          training: {
            sample: trainedSample,
            all: trainedAll,
            salaryVariance: SALARY_VARIANCE,
            study: { rows: STUDY.trainingRows, mse: STUDY.mse, seconds: STUDY.trainingSeconds },
          },
          prediction: {
            sample: predictionFigures(predictedSample, modelRef(trainedSample)),
            all: predictionFigures(predictedAll, modelRef(trainedAll)),
            study: { rows: STUDY.predictionRows, seconds: STUDY.predictionSeconds },
          },
          seconds: (Date.now() - started) / 1000,
        };
        if (comparable && !summary.query1.matchesStudy) process.exitCode = 1;
        if (flags.json) return printJson(summary);
        printReproduction(summary);
      } finally {
        await clients.close();
        await Promise.all(services.map((s) => s.close()));
      }
    });
}
