import { startEtlService } from '@lakestream/etl';
import { startIngestService } from '@lakestream/ingest';
import { startPredictorService } from '@lakestream/predictor';
import { startTrainerService } from '@lakestream/trainer';
import type { Command } from 'commander';
import { cliConfig } from '../home';
import { dim } from '../output/print';

const STARTERS = {
  ingest: startIngestService,
  etl: startEtlService,
  trainer: startTrainerService,
  predictor: startPredictorService,
} as const;
type ServiceName = keyof typeof STARTERS;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run services on this node; more nodes join the same consumer groups through the same Kafka and HDFS',
    )
    .argument('<services...>', `any of ${Object.keys(STARTERS).join(', ')}`)
    .option('--concurrency <n>', 'workers per service on this node (default: workers.concurrency)')
    .action(async (names: string[], flags: { concurrency?: string }) => {
      for (const n of names)
        if (!(n in STARTERS))
          throw new Error(`unknown service ${n}: expected ${Object.keys(STARTERS).join(', ')}`);
      const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
      const config = cliConfig(
        program.opts(),
        concurrency === undefined ? undefined : { workers: { concurrency } },
      );
      const running = [];
      for (const name of names as ServiceName[]) {
        running.push(await STARTERS[name]({ config, shutdownHooks: false }));
      }
      process.stderr.write(
        dim(`serving ${running.map((r) => `${r.name} at ${r.url}`).join(', ')} — Ctrl-C stops\n`),
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await Promise.all(running.map((r) => r.close()));
    });
}
