// The test command (`npm test`): build, lint, reference Python env, the real local stack
// (started here only when it is not already running, and stopped again afterwards), then
// every unit and integration test in one node:test run. Prints how long each phase took.
// usage: node scripts/test.mjs [--unit] [file filters…]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { ensurePythonEnv } from './python-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));
const phases = [];

async function phase(name, fn) {
  const started = Date.now();
  console.log(`\n== ${name}`);
  try {
    return await fn();
  } finally {
    phases.push([name, (Date.now() - started) / 1000]);
    console.log(`== ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status})`);
}

/** Debian's chromium drives the dashboard's browser test; installed here when missing (root, apt). */
function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.log(
      "   /usr/bin/chromium is missing: install Debian's chromium package (apt-get install chromium) for the dashboard test",
    );
    return;
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
}

/** iproute2's `ip` builds the cluster test's hosts (network namespaces); installed here when missing (root, apt). */
function ensureIproute2() {
  if (spawnSync('ip', ['-V']).status === 0) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.log('   `ip` (iproute2) is missing: install it (apt-get install iproute2) for the cluster test');
    return;
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'iproute2']);
}

function testFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.js') && p.includes(`${'/'}dist${'/'}`)) out.push(p);
    }
  };
  for (const top of ['libs', 'services', 'stack', 'cli', 'test']) walk(join(root, top));
  const integration = (f) => relative(root, f).startsWith('test/');
  return out
    .filter((f) => !unitOnly || !integration(f))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort((a, b) => Number(integration(a)) - Number(integration(b)) || a.localeCompare(b));
}

const files = testFiles.bind(null);
let startedServers = [];
let config;
let exitCode = 1;
const summary = [];
try {
  await phase('build (tsc -b)', () =>
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b']),
  );
  await phase('lint and format check (biome)', () =>
    run(process.execPath, [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'ci', '.']),
  );
  const list = files();
  const needsStack = list.some((f) => relative(root, f).startsWith('test/'));
  await phase('python reference env', () => ensurePythonEnv());
  await phase('chromium for the dashboard test', () => ensureChromium());
  await phase('iproute2 for the cluster test', () => ensureIproute2());
  if (needsStack) {
    const { loadConfig } = require(join(root, 'libs/config'));
    const { stackUp } = require(join(root, 'stack'));
    config = loadConfig({ home: root });
    const up = await phase('stack up', () => stackUp({ config, log: (l) => console.log(`   ${l}`) }));
    startedServers = up.started;
    console.log(
      `   stack ready in ${up.seconds.toFixed(1)} s (${up.downloaded ? 'cold: downloaded' : 'warm'}; started: ${up.started.join(', ') || 'none, already running'})`,
    );
  }
  exitCode = await phase(
    `tests (${list.length} files)`,
    () =>
      new Promise((resolve) => {
        const child = spawn(
          process.execPath,
          ['--test', '--test-concurrency=1', '--test-timeout=900000', '--test-reporter=tap', ...list],
          {
            cwd: root,
            stdio: ['ignore', 'pipe', 'inherit'],
            // Tests that read only the environment find the same stack as those that load the config.
            env: {
              ...process.env,
              LAKE_HOME: root,
              ...(config && {
                LAKE_KAFKA_BROKERS: config.kafka.brokers.join(','),
                LAKE_HDFS_URL: config.hdfs.namenodeUrl,
                LAKE_REGISTRY_URL: config.registry.url,
              }),
            },
          },
        );
        const rl = createInterface({ input: child.stdout });
        rl.on('line', (line) => {
          console.log(line);
          if (/^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(line))
            summary.push(line);
        });
        child.on('close', (code) => resolve(code ?? 1));
      }),
  );
} catch (error) {
  console.error(`\ntest run failed: ${error.message}`);
  exitCode = 1;
} finally {
  if (startedServers.length > 0) {
    const { stackDown } = require(join(root, 'stack'));
    await phase('stack down (servers this run started)', () =>
      stackDown({ config, only: startedServers, log: (l) => console.log(`   ${l}`) }),
    );
  }
  console.log('\nphase timings:');
  for (const [name, s] of phases) console.log(`  ${name.padEnd(42)} ${s.toFixed(1)} s`);
  // The runner's own closing lines end the output, so CI reads the totals.
  if (summary.length) console.log(`\n${summary.join('\n')}`);
  process.exitCode = exitCode;
}
