/**
 * A 1M-row partition of the study's schema written to and read from HDFS through our stack
 * (parquet-wasm + the WebHDFS client, ranged reads), beside pyarrow doing the same over
 * WebHDFS in the same run. Needs the local stack (`lake stack up`).
 * Run: `node bench/dist/hdfs-parquet.js [--quick]` or `npm run bench hdfs-parquet`.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ParquetReader, writeParquet } from '@lakestream/columnar';
import { loadConfig } from '@lakestream/config';
import { generatePartition } from '@lakestream/dataset';
import { HdfsClient, HdfsSource } from '@lakestream/hdfs';
import { partitionToArrow } from '@lakestream/publish';
import { summarise, writeResult } from './results';
import { anchorPython } from './python';

const root = join(__dirname, '..', '..');

const PYARROW = `
import sys, json, time, io, http.client, urllib.parse, urllib.request, pyarrow.parquet as pq, pyarrow as pa
nn, user, src, dst, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def url(path, q): return f"{nn}/webhdfs/v1{path}?{q}&user.name={user}"
def get(path): return urllib.request.urlopen(url(path, "op=OPEN")).read()
def put(path, data):
    loc = json.loads(urllib.request.urlopen(urllib.request.Request(url(path, "op=CREATE&overwrite=true&noredirect=true"), method="PUT")).read())["Location"]
    u = urllib.parse.urlsplit(loc); c = http.client.HTTPConnection(u.netloc)
    c.request("PUT", u.path + "?" + u.query, body=data); r = c.getresponse(); r.read()
    assert r.status == 201, r.status
def timed(fn):
    ms = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); ms.append((time.perf_counter() - t) * 1000)
    return sorted(ms)[len(ms) // 2]
res = {"version": pa.__version__}
res["readAllMs"] = timed(lambda: pq.read_table(pa.BufferReader(get(src))))
res["readTwoColumnsMs"] = timed(lambda: pq.read_table(pa.BufferReader(get(src)), columns=["id", "salary"]))
t = pq.read_table(pa.BufferReader(get(src)))
def write():
    b = io.BytesIO(); pq.write_table(t, b, compression="snappy", row_group_size=131072); put(dst, b.getvalue())
res["writeMs"] = timed(write)
print(json.dumps(res))
`;

export async function runHdfsParquetBench(opts: { quick?: boolean } = {}): Promise<unknown> {
  const quick = opts.quick ?? false;
  const rows = quick ? 100_000 : 1_000_000;
  const runs = quick ? 1 : 5;
  const config = loadConfig({ home: root });
  const hdfs = new HdfsClient({
    namenodeUrl: config.hdfs.namenodeUrl,
    user: config.hdfs.user,
    lakeRoot: config.hdfs.lakeRoot,
  });
  const dir = `${config.hdfs.lakeRoot}/_bench/${randomUUID().slice(0, 8)}`;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const timed = async (body: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = process.hrtime.bigint();
      await body();
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return summarise(ms);
  };
  try {
    const table = partitionToArrow(
      generatePartition({ rows, partitions: 1, partition: 0, referenceDate: '2026-01-01' }),
    );
    let n = 0;
    const write = await timed(async () => {
      const bytes = writeParquet(table, { compression: 'snappy' });
      await hdfs.writeAtomically(`${dir}/ours-${n++}.parquet`, bytes);
    });
    const path = `${dir}/ours-0.parquet`;
    const fileBytes = (await hdfs.stat(path)).length;
    const read = async (columns?: string[]) => {
      const source = new HdfsSource(hdfs, path);
      const reader = await ParquetReader.open(source);
      let got = 0;
      for await (const { table: t } of reader.rowGroups({ columns })) got += t.numRows;
      if (got !== rows) throw new Error(`read ${got} rows of ${rows}`);
      return source.bytesRead;
    };
    let bytesAll = 0;
    let bytesTwo = 0;
    const readAll = await timed(async () => {
      bytesAll = await read();
    });
    const readTwo = await timed(async () => {
      bytesTwo = await read(['id', 'salary']);
    });
    const python = anchorPython();
    const py = JSON.parse(
      execFileSync(
        python,
        [
          '-c',
          PYARROW,
          config.hdfs.namenodeUrl,
          config.hdfs.user,
          path,
          `${dir}/pyarrow.parquet`,
          String(runs),
        ],
        { encoding: 'utf8' },
      ).trim(),
    ) as { version: string; readAllMs: number; readTwoColumnsMs: number; writeMs: number };
    const mbps = (bytes: number, ms: number) => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;
    const results = {
      rows,
      fileBytes,
      storage: `HDFS via WebHDFS at ${config.hdfs.namenodeUrl}`,
      ours: {
        writeMs: write,
        writeMBps: mbps(fileBytes, write.median),
        readAllMs: readAll,
        readAllMBps: mbps(bytesAll, readAll.median),
        readIdSalaryMs: readTwo,
        readIdSalaryBytes: bytesTwo,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      pyarrow: {
        ...py,
        note: 'pyarrow has no ranged WebHDFS reader: it downloads the whole file, then decodes',
      },
      ratios: {
        write: Math.round((write.median / py.writeMs) * 100) / 100,
        readAll: Math.round((readAll.median / py.readAllMs) * 100) / 100,
        readIdSalary: Math.round((readTwo.median / py.readTwoColumnsMs) * 100) / 100,
      },
    };
    log(
      `hdfs ${rows} rows, ${(fileBytes / 1e6).toFixed(1)} MB: write ours ${write.median.toFixed(0)} ms vs pyarrow ${py.writeMs.toFixed(0)} ms; ` +
        `read all ${readAll.median.toFixed(0)} vs ${py.readAllMs.toFixed(0)} ms; id+salary ${readTwo.median.toFixed(0)} ms (${bytesTwo} bytes) vs ${py.readTwoColumnsMs.toFixed(0)} ms`,
    );
    log(
      `results: ${writeResult(quick ? 'hdfs-parquet-quick' : 'hdfs-parquet', results, { pyarrow: py.version })}`,
    );
    return results;
  } finally {
    await hdfs.delete(dir, { recursive: true }).catch(() => false);
    hdfs.close();
  }
}

if (require.main === module) {
  runHdfsParquetBench({ quick: process.argv.includes('--quick') }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
