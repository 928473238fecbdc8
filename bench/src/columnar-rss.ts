/**
 * Child process of the columnar bench: reads a Parquet file row group by row group and writes
 * it again as it goes (one row group in memory at a time), then prints its peak RSS and
 * WebAssembly memory as JSON. Run alone so nothing else counts towards the peak.
 * usage: node columnar-rss.js <in.parquet> <out.parquet>
 */
import {
  LocalFileSink,
  LocalFileSource,
  ParquetReader,
  wasmMemoryBytes,
  writeParquetToSink,
} from '@lakestream/columnar';

async function main(input: string, output: string): Promise<void> {
  const baselineKB = process.resourceUsage().maxRSS;
  const source = new LocalFileSource(input);
  const reader = await ParquetReader.open(source);
  const started = process.hrtime.bigint();
  const tables = (async function* () {
    for await (const { table } of reader.rowGroups()) yield table;
  })();
  const written = await writeParquetToSink(tables, new LocalFileSink(output));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await source.close();
  process.stdout.write(
    `${JSON.stringify({
      rows: written.rows,
      bytesWritten: written.bytes,
      readWriteMs: Math.round(ms),
      baselineRssMB: Math.round(baselineKB / 1024),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      wasmMemoryMB: Math.round(wasmMemoryBytes() / 1e6),
    })}\n`,
  );
}

main(process.argv[2]!, process.argv[3]!).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
