/**
 * Parquet read/write speed of @lakestream/columnar (parquet-wasm + apache-arrow) on one
 * partition of the study's schema (id int64, name string, age int32, salary double,
 * signup_date timestamp[us], is_active bool), beside pyarrow on the same file in the same run.
 * Local files for now: the HDFS variant needs the HDFS RandomAccessSource / ByteSink of
 * libs/hdfs, which plug into the same calls.
 * Run: `node bench/dist/columnar.js [--quick]` or `npm run bench columnar`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CountingSource,
  LocalFileSink,
  LocalFileSource,
  ParquetReader,
  type ParquetCompression,
  tableFromColumns,
  wasmMemoryBytes,
  writeParquetToSink,
} from '@lakestream/columnar';
import { generatePartition } from '@lakestream/dataset';
import { summarise, writeResult } from './results';
import { anchorPython } from './python';

const ROW_GROUP_ROWS = 131_072;

/** One generated partition as an Arrow table (names dictionary-encoded, as ingest writes them). */
function studyTable(rows: number) {
  const p = generatePartition({ rows, partitions: 1, partition: 0, referenceDate: '2026-01-01' });
  return tableFromColumns({
    id: { kind: 'int64', values: p.id },
    name: { kind: 'dictionary', codes: p.nameIndex, dictionary: p.names, valid: p.validity.name },
    age: { kind: 'int32', values: p.age, valid: p.validity.age },
    salary: { kind: 'float64', values: p.salary, valid: p.validity.salary },
    signup_date: { kind: 'timestamp', unit: 'us', values: p.signupDate, valid: p.validity.signupDate },
    is_active: { kind: 'bool', values: p.isActive },
  });
}

async function timed(runs: number, body: () => Promise<void>): Promise<ReturnType<typeof summarise>> {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    await body();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarise(ms);
}

/** MB/s counts bytes of the Parquet file (compressed), as a storage system would see them. */
const mbps = (bytes: number, ms: number) => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;

async function readAll(path: string, columns?: string[]): Promise<{ rows: number; bytesRead: number }> {
  const source = new CountingSource(new LocalFileSource(path));
  const reader = await ParquetReader.open(source);
  let rows = 0;
  for await (const { table } of reader.rowGroups({ columns })) rows += table.numRows;
  await source.close();
  return { rows, bytesRead: source.bytesRead };
}

const PYARROW = `
import sys, json, time, pyarrow as pa, pyarrow.parquet as pq
path, out, runs, rg = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def timed(fn):
    ms = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); ms.append((time.perf_counter() - t) * 1000)
    return sorted(ms)[len(ms) // 2]
res = {'version': pa.__version__}
for threads in (True, False):
    key = 'threads' if threads else 'oneThread'
    res[key] = {
        'readAllMs': timed(lambda: pq.read_table(path, use_threads=threads)),
        'readTwoColumnsMs': timed(lambda: pq.read_table(path, columns=['id', 'salary'], use_threads=threads)),
    }
t = pq.read_table(path)
for comp in ('snappy', 'zstd'):
    res['write_' + comp + 'Ms'] = timed(lambda: pq.write_table(t, out, compression=comp, row_group_size=rg))
    res['write_' + comp + 'Bytes'] = __import__('os').path.getsize(out)
res['rows'] = t.num_rows
print(json.dumps(res))
`;

export async function runColumnarBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const rows = quick ? 100_000 : 1_000_000;
  const runs = quick ? 1 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-columnar-'));
  const perSecond = (ms: number) => Math.round(rows / (ms / 1000));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const table = studyTable(rows);
    const path = join(dir, 'part-00000.parquet');
    const write: Record<string, unknown> = {};
    for (const compression of ['zstd', 'snappy'] as ParquetCompression[]) {
      const ms = await timed(runs, async () => {
        await writeParquetToSink(table, new LocalFileSink(path), {
          compression,
          rowGroupRows: ROW_GROUP_ROWS,
        });
      });
      const bytes = statSync(path).size;
      write[compression] = {
        ms,
        fileBytes: bytes,
        fileMBps: mbps(bytes, ms.median),
        rowsPerSecond: perSecond(ms.median),
      };
      log(
        `ours   write ${compression.padEnd(6)} ${ms.median.toFixed(0).padStart(6)} ms  ${mbps(bytes, ms.median)} MB/s of file`,
      );
    }
    // The last write (snappy, the default) is the file both sides read.
    const fileBytes = statSync(path).size;
    let all = { rows: 0, bytesRead: 0 };
    const readAllMs = await timed(runs, async () => {
      all = await readAll(path);
    });
    let two = { rows: 0, bytesRead: 0 };
    const readTwoMs = await timed(runs, async () => {
      two = await readAll(path, ['id', 'salary']);
    });
    if (all.rows !== rows || two.rows !== rows)
      throw new Error(`read ${all.rows}/${two.rows} rows, wrote ${rows}`);
    log(
      `ours   read all      ${readAllMs.median.toFixed(0).padStart(6)} ms  ${mbps(fileBytes, readAllMs.median)} MB/s`,
    );
    log(
      `ours   read id+salary ${readTwoMs.median.toFixed(0).padStart(5)} ms  ${two.bytesRead} of ${fileBytes} bytes fetched`,
    );
    const resources = {
      benchPeakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      benchWasmMemoryMB: Math.round(wasmMemoryBytes() / 1e6),
      // A fresh process that only reads the partition row group by row group and writes it again.
      streamedCopy: JSON.parse(
        execFileSync(
          process.execPath,
          [join(__dirname, 'columnar-rss.js'), path, join(dir, 'copy.parquet')],
          {
            encoding: 'utf8',
          },
        ),
      ) as { peakRssMB: number; wasmMemoryMB: number; baselineRssMB: number; readWriteMs: number },
    };
    const copy = resources.streamedCopy;
    log(
      `ours   read+write copy in a fresh process: peak RSS ${copy.peakRssMB} MB (at start ${copy.baselineRssMB} MB), ` +
        `WebAssembly memory ${copy.wasmMemoryMB} MB, ${copy.readWriteMs} ms`,
    );

    const out = execFileSync(
      anchorPython(),
      ['-c', PYARROW, path, join(dir, 'pyarrow.parquet'), String(runs), String(ROW_GROUP_ROWS)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const py = JSON.parse(out.trim().split('\n').pop()!);
    log(
      `pyarrow read all ${py.threads.readAllMs.toFixed(0)} ms (1 thread ${py.oneThread.readAllMs.toFixed(0)}), ` +
        `id+salary ${py.threads.readTwoColumnsMs.toFixed(0)} ms, write snappy ${py.write_snappyMs.toFixed(0)} ms, zstd ${py.write_zstdMs.toFixed(0)} ms`,
    );
    const results = {
      rows,
      rowGroupRows: ROW_GROUP_ROWS,
      fileBytes,
      storage: 'local file (HDFS variant pending the libs/hdfs source and sink)',
      ours: {
        write,
        readAll: {
          ms: readAllMs,
          MBps: mbps(fileBytes, readAllMs.median),
          rowsPerSecond: perSecond(readAllMs.median),
          bytesRead: all.bytesRead,
        },
        readIdSalary: {
          ms: readTwoMs,
          MBps: mbps(two.bytesRead, readTwoMs.median),
          bytesRead: two.bytesRead,
        },
        ...resources,
      },
      pyarrow: {
        ...py,
        readAllMBps: mbps(fileBytes, py.threads.readAllMs),
        readAllOneThreadMBps: mbps(fileBytes, py.oneThread.readAllMs),
        writeSnappyMBps: mbps(py.write_snappyBytes, py.write_snappyMs),
        writeZstdMBps: mbps(py.write_zstdBytes, py.write_zstdMs),
        readTwoColumnsMBps: mbps(two.bytesRead, py.threads.readTwoColumnsMs),
      },
    };
    const file = writeResult(quick ? 'columnar-quick' : 'columnar', results, { pyarrow: py.version });
    log(`results: ${file}`);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runColumnarBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
