import { type ServerName, SERVERS, stackDown, stackStatus, stackUp } from '@lakestream/stack';
import type { Command } from 'commander';
import { cliConfig } from '../home';
import { dim, green, printJson, red, table } from '../output/print';

interface StackFlags {
  config?: string;
  json?: boolean;
  only?: string;
  wipe?: boolean;
}

const only = (flags: StackFlags): ServerName[] | undefined => {
  if (!flags.only) return undefined;
  const names = flags.only.split(',');
  for (const n of names)
    if (!SERVERS.includes(n as ServerName))
      throw new Error(`unknown server ${n}: expected ${SERVERS.join(', ')}`);
  return names as ServerName[];
};

export function registerStack(program: Command): void {
  const stack = program
    .command('stack')
    .description('the local Kafka, HDFS and schema registry (no Docker needed)');

  stack
    .command('up')
    .description('download (once), start and wait until Kafka, HDFS and the registry are usable')
    .option('--only <servers>', `comma-separated subset of ${SERVERS.join(',')}`)
    .option('--json', 'print a JSON result')
    .action(async (flags: StackFlags) => {
      const config = cliConfig(program.opts());
      const log = flags.json ? () => undefined : (line: string) => process.stderr.write(`${dim(line)}\n`);
      const result = await stackUp({ config, log, only: only(flags) });
      if (flags.json) return printJson(result);
      console.log(
        table(
          ['server', 'pid', 'state', 'endpoint'],
          result.servers.map((s) => [
            s.name,
            s.pid ?? '-',
            s.ready ? green('ready') : red(s.detail),
            s.endpoint,
          ]),
        ),
      );
      console.log(
        `\nstack ready in ${result.seconds.toFixed(1)} s${result.started.length ? ` (started ${result.started.join(', ')})` : ' (already running)'}`,
      );
    });

  stack
    .command('status')
    .description("each server's process and whether it answers")
    .option('--json', 'print a JSON result')
    .action(async (flags: StackFlags) => {
      const servers = await stackStatus({ config: cliConfig(program.opts()) });
      if (flags.json) return printJson(servers);
      console.log(
        table(
          ['server', 'pid', 'state', 'detail', 'endpoint'],
          servers.map((s) => [
            s.name,
            s.pid ?? '-',
            s.ready ? green('ready') : s.running ? red('not ready') : dim('stopped'),
            s.detail,
            s.endpoint,
          ]),
        ),
      );
      if (servers.some((s) => !s.ready)) process.exitCode = 1;
    });

  stack
    .command('down')
    .description('stop the servers lake started (by pid); data is kept unless --wipe')
    .option('--wipe', 'also delete the stack data (topics, HDFS files, schemas)')
    .option('--only <servers>', `comma-separated subset of ${SERVERS.join(',')}`)
    .action(async (flags: StackFlags) => {
      const stopped = await stackDown({
        config: cliConfig(program.opts()),
        wipe: flags.wipe,
        only: only(flags),
        log: (l) => console.log(l),
      });
      if (stopped.length === 0) console.log('nothing of ours was running');
    });
}
