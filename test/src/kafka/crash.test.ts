import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '@lakestream/testkit';
import { Kafka, logLevel } from 'kafkajs';
import {
  brokers,
  countByKey,
  createTopics,
  deleteTopics,
  publish,
  readAll,
  sleepMs,
  uniqueName,
} from './helpers';

const created: string[] = [];
after(() => deleteTopics(created));

const fixture = join(__dirname, 'fixtures', 'crash-consumer.js');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The group's committed offsets reached the end of every partition of `topic`. */
async function caughtUp(groupId: string, topic: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'kafka-test-lag',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.every(
      (end) => committed.partitions.find((p) => p.partition === end.partition)?.offset === end.high,
    );
  } finally {
    await admin.disconnect();
  }
}

function exited(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

interface CrashRun {
  n: number;
  plan: Record<string, string>;
  outDir: string;
  output: string;
  exits: Exit[];
}

/**
 * Runs the fixture as a child process, restarting it after each planned SIGKILL, until every
 * planned crash happened and the group committed every input; then stops it with SIGTERM.
 */
async function runWithCrashes(transactional: boolean, plan: Record<string, string>): Promise<CrashRun> {
  const input = uniqueName('kc-in');
  const output = uniqueName('kc-out');
  created.push(input, output);
  await createTopics([input, output], 2);
  const n = 8;
  await publish(
    input,
    Array.from({ length: n }, (_, i) => ({ key: `k-${i}`, value: { n: i }, partition: i % 2 })),
  );
  const dir = tempDir('lake-kafka-crash-');
  const outDir = join(dir, 'out');
  const markerDir = join(dir, 'markers');
  mkdirSync(outDir);
  mkdirSync(markerDir);
  const env = {
    ...process.env,
    BROKERS: brokers().join(','),
    GROUP: uniqueName('kc-group'),
    IN_TOPIC: input,
    OUT_TOPIC: output,
    OUT_DIR: outDir,
    MARKER_DIR: markerDir,
    TRANSACTIONAL: transactional ? '1' : '0',
    CRASH_PLAN: Object.entries(plan)
      .map(([point, key]) => `${point}:${key}`)
      .join(','),
  };
  const outputs = () => readdirSync(outDir).filter((f) => f.endsWith('.json'));
  const deadline = Date.now() + 90_000;
  const exits: Exit[] = [];
  let log = '';
  while (true) {
    const child = spawn(process.execPath, [fixture], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => {
      log += d;
    });
    child.stderr?.on('data', (d) => {
      log += d;
    });
    const exit = exited(child);
    let done = false;
    while (!done) {
      const settled = await Promise.race([exit.then(() => true), sleepMs(300).then(() => false)]);
      if (settled) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        assert.fail(`no progress in 90 s; child log:\n${log}`);
      }
      // Every planned crash happened and the group committed every input: stop gracefully.
      done =
        readdirSync(markerDir).length === Object.keys(plan).length &&
        outputs().length === n &&
        (await caughtUp(env.GROUP, input));
      if (done) child.kill('SIGTERM');
    }
    const result = await exit;
    exits.push(result);
    if (done) {
      assert.deepEqual(result, { code: 0, signal: null }, `graceful stop on SIGTERM; log:\n${log}`);
      break;
    }
    assert.equal(result.signal, 'SIGKILL', `the child only dies by its planned kills; log:\n${log}`);
  }
  assert.equal(
    exits.filter((e) => e.signal === 'SIGKILL').length,
    Object.keys(plan).length,
    'killed once at each point',
  );
  for (const [point, key] of Object.entries(plan)) {
    assert.ok(existsSync(join(markerDir, `${point}-${key}`)), `crashed ${point} ${key}`);
  }
  assert.deepEqual(outputs().sort(), Array.from({ length: n }, (_, i) => `k-${i}.json`).sort());
  for (let i = 0; i < n; i++) {
    assert.deepEqual(JSON.parse(readFileSync(join(outDir, `k-${i}.json`), 'utf8')), { key: `k-${i}`, n: i });
  }
  return { n, plan, outDir, output, exits };
}

test('kill -9 before the write, after the write, after producing and after committing: one output file and one committed descriptor per input', async () => {
  const plan = { 'before-write': 'k-1', 'after-write': 'k-2', 'after-send': 'k-5', 'after-commit': 'k-6' };
  const { n, output } = await runWithCrashes(true, plan);
  const committed = await readAll(output, { expected: n, settleMs: 2000 });
  const counts = countByKey(committed);
  assert.equal(
    committed.length,
    n,
    `exactly one committed descriptor per input: ${JSON.stringify([...counts])}`,
  );
  for (let i = 0; i < n; i++) assert.equal(counts.get(`k-${i}`), 1, `k-${i}`);

  // The crash after producing left an aborted descriptor in the log: read_uncommitted sees it.
  const everything = await readAll(output, { expected: n + 1, settleMs: 500, readUncommitted: true });
  assert.ok(everything.length > n, 'the after-send crash had really produced before dying');
  assert.ok((countByKey(everything).get(plan['after-send']) ?? 0) >= 2);
});

test('at-least-once fallback, kill -9 after publishing before the offset commit: a duplicate descriptor that changes nothing', async () => {
  const plan = { 'before-write': 'k-1', 'after-write': 'k-2', 'after-send': 'k-5' };
  const { n, output, outDir } = await runWithCrashes(false, plan);
  const committed = await readAll(output, { expected: n + 1, settleMs: 2000 });
  const counts = countByKey(committed);
  assert.equal(committed.length, n + 1, `one duplicate: ${JSON.stringify([...counts])}`);
  assert.equal(counts.get(plan['after-send']), 2, 'the message killed after publishing was published again');
  for (let i = 0; i < n; i++) if (`k-${i}` !== plan['after-send']) assert.equal(counts.get(`k-${i}`), 1);
  const copies = committed.filter((r) => r.key === plan['after-send']).map((r) => r.value);
  assert.deepEqual(copies[0], copies[1], 'the duplicate is identical: deduping by key loses nothing');
  assert.deepEqual(copies[0], { key: plan['after-send'], path: join(outDir, `${plan['after-send']}.json`) });
});
