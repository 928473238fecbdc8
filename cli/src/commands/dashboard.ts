import { spawn } from 'node:child_process';
import { startDashboardService } from '@lakestream/dashboard';
import type { Command } from 'commander';
import { cliConfig } from '../home';
import { dim } from '../output/print';

/** Opens `url` in the desktop's browser, if there is one; failing to is not an error. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () =>
      process.stderr.write(dim(`could not open a browser (${command}); open ${url}\n`)),
    );
    child.unref();
  } catch {
    process.stderr.write(dim(`could not open a browser; open ${url}\n`));
  }
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description(
      'serve the web dashboard: batches and their stages, ETL reports, consumer lag, dead letters (http.ports.dashboard)',
    )
    .option('--port <n>', 'listen on this port instead of http.ports.dashboard (0: any free port)')
    .option('--open', 'open the page in the default browser')
    .action(async (flags: { port?: string; open?: boolean }) => {
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
        throw new Error(`--port must be an integer from 0 to 65535, got ${flags.port}`);
      const config = cliConfig(program.opts());
      const service = await startDashboardService({ config, port, shutdownHooks: false });
      const token = config.http.apiToken ? `#token=${encodeURIComponent(config.http.apiToken)}` : '';
      process.stdout.write(
        `dashboard at ${service.url}/${token ? ' (API token in the link: open it as …/#token=<token>)' : ''}\n`,
      );
      process.stderr.write(dim('Ctrl-C stops\n'));
      if (flags.open) openBrowser(`${service.url}/${token}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await service.close();
    });
}
