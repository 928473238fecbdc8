import { spawnSync } from 'node:child_process';
import { StackError } from '../errors';

/** Runs `ip <args>` and returns its output; a failure names the command and what `ip` said. */
export function ip(args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) {
    throw new StackError(
      `cannot run \`ip ${args.join(' ')}\` (${r.error.message}): the cluster needs iproute2 (\`apt-get install iproute2\`)`,
    );
  }
  if (r.status !== 0) {
    throw new StackError(`\`ip ${args.join(' ')}\` failed (exit ${r.status}): ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/** Like `ip`, for teardown steps whose object may already be gone: false instead of an error. */
export function ipQuiet(args: string[]): boolean {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 30_000 });
  return !r.error && r.status === 0;
}

/**
 * Why network namespaces cannot be made here, or undefined when they can: `ip` must exist and
 * we must be allowed to create a namespace (root, or CAP_SYS_ADMIN and CAP_NET_ADMIN).
 */
export function namespacesUnavailable(): string | undefined {
  const version = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (version.error) return 'the `ip` command (iproute2) is not installed';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  const probe = `lkprobe${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `\`ip netns add\` is refused here: ${r.stderr.trim()}`;
  ipQuiet(['netns', 'del', probe]);
  return undefined;
}
