import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chunkKey, dlqTopic, TOPICS } from '@lakestream/contracts';
import { tempDir } from '@lakestream/testkit';
import { eventually } from '../etl/pipeline';
import { lakeCli, placeRawBatch, writeBadCsv, writeBadParquet } from './bad-files';
import { scenario } from './common';
import { EtlProcess, readTopic } from './harness';
import { checkInvariants, type ExpectedDeadLetter } from './invariants';

// Bad input through both doors, against a running ETL process: `lake publish <files>` (the CLI
// reads and checks everything before it writes) and raw partitions another writer left in HDFS
// with truthful descriptors (the ETL must refuse what it cannot read and finish the rest).
const s = scenario('fault-bad-input');
const { config, clients, dataset } = s;
const dir = tempDir('bad-input-');
let etl: EtlProcess;
let parquet: Record<string, number>;
let csv: Record<string, string>;
/** Dead letters of this dataset so far: every checker call must expect exactly these. */
const letters: ExpectedDeadLetter[] = [];
const refusedBatches: string[] = [];
const outcomes: Record<string, unknown>[] = [];

const file = (name: string) => join(dir, name);
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Report {
  rowsIn: number;
  rowsOut: number;
  partitions: number;
  quality: { missing: Record<string, number>; invalid: Record<string, number>; duplicatesRemoved: number };
}
const report = (batch: string) =>
  eventually(`the ETL report of ${batch}`, 120_000, () =>
    clients.readJson<Report>(`${clients.paths.reports(dataset, batch)}/etl_report.json`),
  );

const publish = (batch: string, ...args: string[]) =>
  lakeCli('publish', ...args, '--dataset', dataset, '--batch', batch, '--json');

/** A refused publish: exit code 1, the message on stderr, and nothing in the lake under that batch. */
async function refused(batch: string, args: string[], message: string): Promise<number> {
  const started = Date.now();
  const r = await publish(batch, ...args);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(r.code, 1, `lake publish must fail: ${r.stdout}${r.stderr}`);
  assert.ok(r.stderr.includes(`error: ${message}`), `expected\n  ${message}\nin\n  ${r.stderr}`);
  assert.equal(await clients.hdfs.exists(clients.paths.rawBatch(dataset, batch)), false, 'no raw file');
  refusedBatches.push(batch);
  return seconds;
}

let previous: { clean: Record<string, string>; report: string };
/** Every file the first batch's ETL wrote, with its checksum: what must never change. */
async function snapshot(batch: string) {
  const clean: Record<string, string> = {};
  for (const dirPath of [
    clients.paths.cleanBatch(dataset, batch),
    `${clients.paths.reports(dataset, batch)}/_partials`,
  ])
    for (const f of await clients.hdfs.list(dirPath))
      if (f.type === 'FILE')
        clean[f.path] = sha256(await clients.hdfs.readFile(f.path, { maxBytes: 64 << 20 }));
  const text = Buffer.from(
    await clients.hdfs.readFile(`${clients.paths.reports(dataset, batch)}/etl_report.json`),
  ).toString('utf8');
  return { clean, report: text };
}

before(async () => {
  parquet = writeBadParquet(dir);
  csv = writeBadCsv(dir);
  etl = await EtlProcess.create(config);
  await etl.start();
});
after(async () => {
  await etl?.stop();
  await s.cleanup();
});

test('a batch accepted before any bad input arrives', async () => {
  assert.equal((await s.publish('b0', 4, 500)).outcome, 'published');
  await report('b0');
  previous = await snapshot('b0');
});

describe('lake publish <files>: refused before anything is written, or published and cleaned', () => {
  test('a truncated Parquet file is refused naming it and what is wrong', async () => {
    await refused(
      'truncated',
      [file('truncated.parquet')],
      `${file('truncated.parquet')}: not a readable Parquet file: no PAR1 magic at the end: the file is truncated`,
    );
  });

  test('wrong column types are refused naming file, row group or line, column, the type and a value', async () => {
    await refused(
      'age-string',
      [file('age-string.parquet')],
      `${file('age-string.parquet')}, row group 0, column age: expected int32, found Utf8 (row 0: "20")`,
    );
    await refused(
      'salary-string',
      [csv['salary-string.csv']!],
      `${csv['salary-string.csv']}, line 2, column salary: expected float64, the column holds string values such as "lots"`,
    );
  });

  test('names that are not UTF-8 are refused naming file, row or line, and the bytes; --skip-bad-rows publishes the rest', async () => {
    await refused(
      'latin1-parquet',
      [file('latin1.parquet')],
      `${file('latin1.parquet')}, row group 0, column name: row 3: "Jos\\xe9" is not valid UTF-8 (expected UTF-8 strings)`,
    );
    const reason = (v: string) =>
      `"${v}" is not valid UTF-8 (\ufffd marks the bytes that are not; expected UTF-8 text: convert the file, e.g. iconv -f latin1 -t utf-8)`;
    await refused(
      'latin1-csv',
      [csv['latin1.csv']!],
      `2 bad rows; nothing was published (use --skip-bad-rows to publish the rest):\n  ${csv['latin1.csv']}, line 3, column name: ${reason('Jos\ufffd')}\n  ${csv['latin1.csv']}, line 4, column name: ${reason('Ren\ufffde')}`,
    );
    const skipped = await publish('latin1-skipped', csv['latin1.csv']!, '--skip-bad-rows');
    assert.equal(skipped.code, 0, skipped.stderr);
    const result = JSON.parse(skipped.stdout) as { rows: number; badRowCount: number };
    assert.deepEqual([result.rows, result.badRowCount], [2, 2]);
    const r = await report('latin1-skipped');
    assert.deepEqual([r.rowsIn, r.rowsOut], [2, 2]);
  });

  test('CSV with ragged rows is refused naming file and lines; --skip-bad-rows publishes every other row', async () => {
    const ragged = csv['ragged.csv']!;
    await refused(
      'ragged',
      [ragged],
      `2 bad rows; nothing was published (use --skip-bad-rows to publish the rest):\n  ${ragged}, line 3: expected 6 fields, found 4\n  ${ragged}, line 6: expected 6 fields, found 7`,
    );
    const skipped = await publish('ragged-skipped', ragged, '--skip-bad-rows');
    assert.equal(skipped.code, 0, skipped.stderr);
    const result = JSON.parse(skipped.stdout) as {
      rows: number;
      badRowCount: number;
      badRows: { line: number }[];
    };
    assert.deepEqual([result.rows, result.badRowCount, result.badRows.map((b) => b.line)], [4, 2, [3, 6]]);
    const r = await report('ragged-skipped');
    assert.deepEqual([r.rowsIn, r.rowsOut], [4, 4], 'every good row reached the clean table');
  });

  test('a file with 10,000 columns is refused in seconds with the list cut short; --allow-extra-columns reads the six', async () => {
    const wide = file('wide.parquet');
    const extra = Array.from({ length: 20 }, (_, k) => `extra_${k}`).join(', ');
    const seconds = await refused(
      'wide',
      [wide],
      `${wide}: unexpected columns ${extra} … and 9974 more (expected exactly id, name, age, salary, signup_date, is_active; --allow-extra-columns drops them)`,
    );
    const started = Date.now();
    const accepted = await publish('wide-projected', wide, '--allow-extra-columns');
    const acceptSeconds = (Date.now() - started) / 1000;
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal((JSON.parse(accepted.stdout) as { rows: number }).rows, 20);
    const r = await report('wide-projected');
    assert.deepEqual([r.rowsIn, r.rowsOut], [20, 20]);
    // The whole command (a process start, the footer of 10,000 columns) stays in seconds, not minutes.
    assert.ok(seconds < 60 && acceptSeconds < 60, `refused in ${seconds} s, published in ${acceptSeconds} s`);
    outcomes.push({
      case: '10k columns via lake publish',
      refusedSeconds: seconds,
      publishedSeconds: acceptSeconds,
    });
  });

  test('nulls everywhere: published; the ETL drops every row, counted by the first missing field, and completes', async () => {
    const r = await publish('nulls', csv['nulls.csv']!, '--partitions', '2');
    assert.equal(r.code, 0, r.stderr);
    const result = await checkInvariants(config, clients, {
      dataset,
      batch: 'nulls',
      since: s.since,
      deadLetters: letters,
    });
    const rep = (await report('nulls'))!;
    assert.deepEqual([rep.rowsIn, rep.rowsOut, rep.quality.missing], [25, 0, { name: 25 }]);
    outcomes.push({ case: 'nulls everywhere via lake publish', ...result });
  });

  test('ages out of range: published as the source has them; the ETL drops those outside 14–100, counted as invalid', async () => {
    const r = await publish('ages', csv['ages.csv']!);
    assert.equal(r.code, 0, r.stderr);
    const result = await checkInvariants(config, clients, {
      dataset,
      batch: 'ages',
      since: s.since,
      deadLetters: letters,
    });
    const rep = await report('ages');
    // -1, 0, 13, 101, 150, 999 dropped; 14, 100, 30, 31 kept.
    assert.deepEqual([rep.rowsIn, rep.rowsOut, rep.quality.invalid], [10, 4, { age: 6 }]);
    outcomes.push({ case: 'ages out of range via lake publish', ...result });
  });

  test('an empty batch: a CSV header alone publishes 0 rows; the report has zero rows and lake wait returns', async () => {
    const r = await publish('empty', csv['header-only.csv']!);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      [
        (JSON.parse(r.stdout) as { rows: number }).rows,
        (JSON.parse(r.stdout) as { partitions: number }).partitions,
      ],
      [0, 1],
    );
    const waited = await lakeCli('wait', `${dataset}/empty`, '--timeout', '120', '--json');
    assert.equal(waited.code, 0, waited.stderr);
    assert.deepEqual(
      Object.entries(JSON.parse(waited.stdout) as Record<string, unknown>).filter(
        ([k]) => k === 'rowsIn' || k === 'rowsOut',
      ),
      [
        ['rowsIn', 0],
        ['rowsOut', 0],
      ],
    );
    const result = await checkInvariants(config, clients, {
      dataset,
      batch: 'empty',
      since: s.since,
      deadLetters: letters,
    });
    outcomes.push({ case: 'empty batch via lake publish', ...result });
  });

  test('refused inputs sent no descriptor and left no file', async () => {
    const descriptors = await readTopic(config, TOPICS.chunksRaw.name, `${dataset}/`, { decode: false });
    const batches = new Set(descriptors.map((d) => d.key.split('/')[1]));
    for (const batch of refusedBatches) {
      assert.equal(batches.has(batch), false, `a descriptor of refused batch ${batch}`);
      assert.equal(await clients.hdfs.exists(clients.paths.manifest(dataset, batch)), false, batch);
    }
    for (const batch of ['nulls', 'ages', 'empty', 'ragged-skipped', 'latin1-skipped', 'wide-projected'])
      assert.ok(batches.has(batch), `the descriptors of ${batch}`);
  });
});

describe('raw partitions reaching the ETL by descriptor', () => {
  test('odd but readable partitions (nulls, null-typed columns, ages out of range, 10,000 columns, no rows) complete the batch', async () => {
    const parts = ['good-a', 'nulls-typed', 'nulls-type', 'ages', 'wide', 'empty'].map((n) => ({
      path: file(`${n}.parquet`),
      rows: parquet[`${n}.parquet`]!,
    }));
    await placeRawBatch(clients, dataset, 'odd', parts);
    const result = await checkInvariants(config, clients, {
      dataset,
      batch: 'odd',
      since: s.since,
      deadLetters: letters,
    });
    const rep = await report('odd');
    assert.equal(rep.rowsIn, 340);
    // Nulls: every row of both null files, under name (the first missing field).
    assert.deepEqual(rep.quality.missing, { name: 80 });
    // Ages -1, 0, 13, 101, 150, 999, 2^31-1; salaries NaN, +inf, -inf.
    assert.deepEqual(rep.quality.invalid, { age: 7, salary: 3 });
    assert.equal(rep.rowsOut, 200 + 30 + 20);
    const wide = await clients.readJson<{
      timings: { readMs: number };
      memory: { rssBefore: number; rssAfter: number };
    }>(clients.paths.partial(dataset, 'odd', 4));
    // Only the six columns are decoded: no minutes of parsing for the 10,000-column partition.
    assert.ok(
      wide!.timings.readMs < 30_000,
      `read the 10,000-column partition in ${wide!.timings.readMs} ms`,
    );
    outcomes.push({
      case: 'odd partitions via descriptors',
      wideReadMs: wide!.timings.readMs,
      wideRssMiB: Math.round((wide!.memory.rssAfter - wide!.memory.rssBefore) / 2 ** 20),
      ...result,
    });
  });

  test('unreadable partitions are dead-lettered naming file, column and value; the rest is cleaned; lake wait names them', async () => {
    const names = ['good-a', 'truncated', 'age-string', 'salary-string', 'latin1', 'good-b'];
    const { paths } = await placeRawBatch(
      clients,
      dataset,
      'unreadable',
      names.map((n) => ({ path: file(`${n}.parquet`), rows: parquet[`${n}.parquet`]! })),
    );
    const expected: [number, string][] = [
      [1, `${paths[1]}: no PAR1 magic at the end: the file is truncated`],
      [2, `${paths[2]}, column age: expected an integer, found Utf8 (row 0: "20")`],
      [
        3,
        `${paths[3]}, column salary: expected a number (double, float or integer), found Utf8 (row 0: "1000.5")`,
      ],
      [
        4,
        `${paths[4]}, row group 0, column name: row 3: "Jos\\xe9" is not valid UTF-8 (expected UTF-8 strings)`,
      ],
    ];
    for (const [p, error] of expected)
      letters.push({ key: chunkKey(dataset, 'unreadable', p), error: new RegExp(`^${escapeRe(error)}$`) });

    // lake wait stops once only refused partitions are left, and says which and why.
    const waited = await lakeCli('wait', `${dataset}/unreadable`, '--timeout', '180');
    assert.equal(waited.code, 1, waited.stdout);
    const message = [
      `error: the ETL of ${dataset}/unreadable cannot finish: 4 of 6 partitions were refused as bad input (their descriptors are in ${dlqTopic(TOPICS.chunksRaw.name)}), the other 2 are cleaned:`,
      ...expected.map(([p, error]) => `  partition ${p}: ${error}`),
    ].join('\n');
    assert.ok(waited.stderr.includes(message), `expected\n${message}\nin\n${waited.stderr}`);

    // The dead letters carry the same text; the good partitions were cleaned once, the bad ones left nothing.
    const dead = await eventually('the four dead letters', 60_000, async () => {
      const found = await readTopic(config, dlqTopic(TOPICS.chunksRaw.name), `${dataset}/unreadable/`);
      return found.length >= 4 ? found : undefined;
    });
    assert.deepEqual(
      dead.map((d) => [d.key, (d.value as { error: string }).error]).sort(),
      expected.map(([p, error]) => [chunkKey(dataset, 'unreadable', p), error]),
    );
    const cleanNames = (await clients.hdfs.list(clients.paths.cleanBatch(dataset, 'unreadable'))).map(
      (f) => f.name,
    );
    assert.deepEqual(cleanNames.sort(), ['part-00000.parquet', 'part-00005.parquet']);
    const partials = (
      await clients.hdfs.list(`${clients.paths.reports(dataset, 'unreadable')}/_partials`)
    ).map((f) => f.name);
    assert.deepEqual(partials.sort(), ['part-00000.json', 'part-00005.json']);
    const cleanDescriptors = await readTopic(config, TOPICS.chunksClean.name, `${dataset}/unreadable/`, {
      decode: false,
    });
    assert.deepEqual(
      cleanDescriptors.map((d) => d.key).sort(),
      [0, 5].map((p) => chunkKey(dataset, 'unreadable', p)),
    );
    assert.equal(
      await clients.hdfs.exists(`${clients.paths.reports(dataset, 'unreadable')}/etl_report.json`),
      false,
      'no report for a batch with refused partitions',
    );
    outcomes.push({
      case: 'unreadable partitions via descriptors',
      refused: 4,
      cleaned: 2,
      deadLetters: dead.length,
    });
  });
});

test('nothing accepted before the bad input is lost: the first batch is as it was', async (t) => {
  assert.deepEqual(await snapshot('b0'), previous);
  const result = await checkInvariants(config, clients, {
    dataset,
    batch: 'b0',
    since: s.since,
    deadLetters: letters,
  });
  outcomes.push({ case: 'the batch before', ...result });
  // Every raw descriptor of the scenario (the first batch's and all the bad input's) was in flight with the bad input.
  const inFlight = (await readTopic(config, TOPICS.chunksRaw.name, `${dataset}/`, { decode: false })).length;
  let lost = 0;
  let duplicated = 0;
  for (const o of outcomes) {
    const counted = o as { lost?: { partitions: number; rows: number }; duplicated?: number };
    lost += (counted.lost?.partitions ?? 0) + (counted.lost?.rows ?? 0);
    duplicated += counted.duplicated ?? 0;
    t.diagnostic(`bad input: ${JSON.stringify(o)}`);
  }
  assert.deepEqual([lost, duplicated], [0, 0]);
  t.diagnostic(
    `faults: ${JSON.stringify({ scenario: 'bad input', inFlight, refusedByPublish: refusedBatches.length, deadLetters: letters.length, lost, duplicated })}`,
  );
});
