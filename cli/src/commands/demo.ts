import { smokeRoundTrip, stackUp } from '@lakestream/stack';
import type { Command } from 'commander';
import { cliConfig } from '../home';
import { bold, dim, green, printJson } from '../output/print';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole pipeline on the local stack: brings the stack up if needed, then runs end to end')
    .option('--rows <n>', 'rows to publish', '1000000')
    .option('--json', 'print a JSON summary')
    .action(async (flags: { rows: string; json?: boolean }) => {
      const config = cliConfig(program.opts());
      const log = (line: string) => process.stderr.write(`${dim(line)}\n`);
      log('bringing the stack up (first run downloads Kafka, Hadoop and Apicurio from Maven Central) …');
      const stack = await stackUp({ config, log });
      const smoke = await smokeRoundTrip(config, log);
      const summary = {
        stack: {
          seconds: stack.seconds,
          servers: stack.servers.map((s) => ({ name: s.name, endpoint: s.endpoint })),
        },
        smoke,
      };
      if (flags.json) return printJson(summary);
      console.log(`\n${bold('lakestream demo')}`);
      for (const s of stack.servers) console.log(`  ${s.name.padEnd(9)} ${green('ready')}  ${s.endpoint}`);
      console.log(
        `  registry → Kafka → consumer round trip: ${smoke.kafkaRoundTripMs} ms (schema id ${smoke.schemaId})`,
      );
      console.log(`  HDFS write → read back → rename (1 MiB): ${smoke.hdfsRoundTripMs} ms`);
    });
}
