/**
 * `npm run bench [-- <name…>] [--quick]`: runs the benchmarks (all by default) against
 * their anchors in the same run, prints each one's figures and where its results file lies.
 * `--quick` uses small sizes (it is part of `npm test`, so the harness cannot rot).
 */
type BenchFn = (options: { quick?: boolean }) => Promise<unknown>;

/** Each benchmark module exports run<Name>Bench(options). */
const BENCHES: Record<string, () => BenchFn> = {
  generate: () => require('./generate').runGenerateBench,
  columnar: () => require('./columnar').runColumnarBench,
  forest: () => require('./forest').runForestBench,
  'hdfs-parquet': () => require('./hdfs-parquet').runHdfsParquetBench,
  publish: () => require('./publish').runPublishBench,
  etl: () => require('./etl').runEtlBench,
  train: () => require('./train').runTrainBench,
  predict: () => require('./predict').runPredictBench,
  demo: () => require('./demo').runDemoBench,
  cluster: () => require('./cluster').runClusterBench,
};

export async function runBenches(names: string[], quick: boolean): Promise<Record<string, unknown>> {
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length)
    throw new Error(`unknown benchmark ${unknown.join(', ')}: expected ${Object.keys(BENCHES).join(', ')}`);
  const results: Record<string, unknown> = {};
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    const started = Date.now();
    process.stderr.write(`\n== bench ${name}${quick ? ' (quick)' : ''}\n`);
    results[name] = await BENCHES[name]!()({ quick });
    process.stderr.write(`== bench ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return results;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const { formatTable, latestResults, summaryRows } = require('./summary') as typeof import('./summary');
  if (args.includes('--table')) {
    console.log(formatTable(summaryRows(latestResults())));
  } else
    runBenches(
      args.filter((a) => !a.startsWith('--')),
      args.includes('--quick'),
    )
      .then((results) => {
        // One table of ratios over what ran (quick runs are small: the ratios say little).
        console.log(formatTable(summaryRows(results)));
      })
      .catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
      });
}
