import { Command } from 'commander';
import { registerCluster } from './commands/cluster';
import { registerDashboard } from './commands/dashboard';
import { registerDemo } from './commands/demo';
import { registerDrift } from './commands/drift';
import { registerPublish } from './commands/publish';
import { registerReport } from './commands/report';
import { registerServe } from './commands/serve';
import { registerStack } from './commands/stack';
import { registerTrain } from './commands/train';
import { registerModels } from './commands/models';
import { registerPredict } from './commands/predict';
import { registerReproduce } from './commands/reproduce';
import { printError } from './output/print';

const program = new Command('lake')
  .description(
    'lakestream: ETL, model tuning and continuous prediction over Parquet in HDFS, driven by Kafka',
  )
  .option(
    '--config <file>',
    'configuration file (default: $LAKE_CONFIG, then lake.config.json in the lakestream folder)',
  )
  .showHelpAfterError();

registerStack(program);
registerCluster(program);
registerDemo(program);
registerServe(program);
registerPublish(program);
registerReport(program);
registerTrain(program);
registerModels(program);
registerPredict(program);
registerDrift(program);
registerReproduce(program);
registerDashboard(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  printError(error);
  process.exitCode = 1;
});
