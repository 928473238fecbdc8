/**
 * One measured fit + predict of @lakestream/forest in its own process (so peak RSS is its own):
 * `node forest-run.js <data dir> '<params json>'` prints one JSON line.
 */
import { RandomForestRegressor, mse } from '@lakestream/forest';
import { readBenchData } from './forest-data';

async function main(): Promise<void> {
  const [dir, paramsJson] = process.argv.slice(2);
  const params = JSON.parse(paramsJson);
  const d = readBenchData(dir);
  const rssBefore = process.resourceUsage().maxRSS;
  const t0 = process.hrtime.bigint();
  const rf = await new RandomForestRegressor(params).fit({ nRows: d.nTrain, columns: d.xTrain }, d.yTrain);
  const fitSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rf.predict({ nRows: Math.min(d.nTest, 10_000), columns: d.xTest.map((c) => c.subarray(0, 10_000)) }); // warm-up
  // best of 5: on a shared machine the fastest run is the least disturbed one (same for scikit-learn)
  let predictSeconds = Number.POSITIVE_INFINITY;
  let p: Float64Array = new Float64Array(0);
  for (let k = 0; k < 5; k++) {
    const t1 = process.hrtime.bigint();
    p = rf.predict({ nRows: d.nTest, columns: d.xTest });
    predictSeconds = Math.min(predictSeconds, Number(process.hrtime.bigint() - t1) / 1e9);
  }
  const f = rf.forest;
  console.log(
    JSON.stringify({
      fitSeconds,
      predictSeconds,
      predictRowsPerSecPerCore: d.nTest / predictSeconds,
      testMse: mse(d.yTest, p),
      nodes: f.roots[f.nTrees],
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      rssBeforeFitMiB: rssBefore / 1024,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
