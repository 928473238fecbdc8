import { availableParallelism } from 'node:os';
import { startEtlService } from '@lakestream/etl';
import { newBatchId, publishSynthetic } from '@lakestream/publish';
import { smokeRoundTrip, stackUp } from '@lakestream/stack';
import type { Command } from 'commander';
import { lakeClients } from '../clients';
import { cliConfig } from '../home';
import { bold, dim, green, printJson } from '../output/print';
import { Progress } from '../output/progress';
import { printEtlReport, waitForEtl } from './report';

interface DemoFlags {
  rows: string;
  dataset: string;
  quirks?: boolean;
  profile: string;
  json?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the pipeline end to end on the local stack: stack up if needed, services, publish, ETL, report',
    )
    .option('--rows <n>', 'rows to publish (30000000 is the study size)', '2000000')
    .option('--dataset <name>', 'dataset to publish into', 'employees')
    .option('--profile <name>', 'described or study', 'described')
    .option(
      '--no-quirks',
      "publish clean data (by default the study's dirt is reproduced for the ETL to clean)",
    )
    .option('--json', 'print a JSON summary')
    .action(async (flags: DemoFlags) => {
      const started = Date.now();
      const log = (line: string) => process.stderr.write(`${dim(line)}\n`);
      const config0 = cliConfig(program.opts());
      log('bringing the stack up (the first run downloads Kafka, Hadoop and Apicurio from Maven Central) …');
      const stack = await stackUp({ config: config0, log });
      const smoke = await smokeRoundTrip(config0, log);

      // The embedded services log only errors, so the demo's own output stays readable.
      const config = {
        ...config0,
        workers: { concurrency: Math.max(1, availableParallelism()) },
        log: { level: 'error' as const },
      };
      log(`starting the etl service with ${config.workers.concurrency} consumers …`);
      const etl = await startEtlService({ config, port: 0, shutdownHooks: false });
      const clients = lakeClients(config);
      try {
        const rows = Number(flags.rows);
        const batch = newBatchId();
        const progress = new Progress('publish', rows, 'rows', flags.json);
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
        const report = await waitForEtl(clients, flags.dataset, batch, 30 * 60_000, flags.json);
        const summary = {
          stack: {
            seconds: stack.seconds,
            servers: stack.servers.map((s) => ({ name: s.name, endpoint: s.endpoint })),
          },
          smoke,
          publish: published,
          etl: report,
          hdfs: {
            raw: clients.paths.rawBatch(flags.dataset, batch),
            clean: clients.paths.cleanBatch(flags.dataset, batch),
            reports: clients.paths.reports(flags.dataset, batch),
          },
          seconds: (Date.now() - started) / 1000,
        };
        if (flags.json) return printJson(summary);
        console.log(`\n${bold('lakestream demo')}`);
        for (const s of stack.servers) console.log(`  ${s.name.padEnd(9)} ${green('ready')}  ${s.endpoint}`);
        console.log(
          `  published ${published.rows} rows as ${flags.dataset}/${batch} in ${published.seconds.toFixed(1)} s (${Math.round(published.rows / published.seconds).toLocaleString('en-US')} rows/s)\n`,
        );
        printEtlReport(report);
        console.log(`\n${bold('where it lies in HDFS')} (${config.hdfs.namenodeUrl}/explorer.html)`);
        for (const [k, v] of Object.entries(summary.hdfs)) console.log(`  ${k.padEnd(8)} ${v}`);
        console.log(
          `\n${dim('training and prediction join the demo as the trainer and predictor land (README, Status).')}`,
        );
        console.log(`demo finished in ${summary.seconds.toFixed(1)} s`);
      } finally {
        const closing = Date.now();
        await clients.close();
        await etl.close();
        log(`services stopped in ${((Date.now() - closing) / 1000).toFixed(1)} s`);
      }
    });
}
