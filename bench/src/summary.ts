/**
 * One table of ratios over the benchmarks' results: ours beside the anchor measured in the
 * same run, the study's own figures first. Built from the in-memory results of a run, or from
 * the newest full-size file of each benchmark in bench/results (`npm run bench -- --table`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './results';

export interface SummaryRow {
  workload: string;
  ours: string;
  anchor: string;
  /** ours ÷ anchor for times (below 1: we are faster), as a printed figure. */
  ratio: string;
}

// biome-ignore lint/suspicious/noExplicitAny: results are JSON of each benchmark's own shape.
type Json = any;

const s = (v: unknown, digits = 1) =>
  typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)} s` : '—';
const x = (v: unknown, digits = 2) =>
  typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)}×` : '—';
const median = (v: Json) => (typeof v === 'number' ? v : v?.median);
const fastest = (v: Json) => (typeof v === 'number' ? v : (v?.min ?? v?.median));

/** The study's own figures: the first row to beat. */
export const STUDY_ROW: SummaryRow = {
  workload: 'the study (Spark + Ray, two 2-vCPU machines)',
  ours: '—',
  anchor:
    'ETL 38–68 s (30M rows); training 15 s (10k-row sample); inference 20 s per batch (5k rows); MSE 673,131,597',
  ratio: '—',
};

const EXTRACTORS: Record<string, (r: Json) => SummaryRow[]> = {
  publish: (r) => [
    {
      workload: `publish ${r.rows / 1e6}M rows into HDFS`,
      ours: s(median(r.ours?.seconds)),
      anchor: `DuckDB to local disk ${s(r.duckdb?.seconds)}`,
      ratio: x(r.ratios?.oursOverDuckdb),
    },
  ],
  etl: (r) => {
    const two = (r.ours ?? []).find((o: Json) => o.consumers === 2);
    const one = (r.ours ?? []).find((o: Json) => o.consumers === 1);
    return [
      {
        workload: `ETL ${r.rows / 1e6}M rows (three pipelines), 2 consumers`,
        ours: `${s(two?.wallSeconds)}, ${two?.peakRssPerConsumerMB ?? '—'} MB/consumer`,
        anchor: `PySpark local[2] ${s(r.pyspark?.seconds)}`,
        ratio: x(r.pyspark && two ? two.wallSeconds / r.pyspark.seconds : undefined),
      },
      {
        workload: 'same',
        ours: s(two?.wallSeconds),
        anchor: `DuckDB ${s(fastest(r.duckdb?.wallSeconds))} (fastest run)`,
        ratio: x(r.ratios?.oursOverDuckdb),
      },
      {
        workload: 'ETL 1 → 2 consumers (throughput)',
        ours: `${s(one?.wallSeconds)} → ${s(two?.wallSeconds)}`,
        anchor: 'target ≥ 1.8×',
        ratio: x(r.ratios?.twoConsumersOverOne),
      },
    ];
  },
  forest: (r) =>
    (r.workloads ?? []).map((w: Json) => ({
      workload: `forest fit ${w.workload}, ${w.rows / 1e6}M rows`,
      ours: `${s(w.ours?.fitSeconds, 2)}, test MSE ${x(w.testMseOverNoise, 4)} noise`,
      anchor: `scikit-learn ${s(w.sklearn?.fitSeconds)}`,
      ratio: x(w.fitRatio),
    })),
  'hdfs-parquet': (r) => [
    {
      workload: 'Parquet over HDFS: write / read all / read 2 columns (1M rows)',
      ours: `${median(r.ours?.writeMs)?.toFixed(0)} / ${median(r.ours?.readAllMs)?.toFixed(0)} / ${median(r.ours?.readIdSalaryMs)?.toFixed(0)} ms`,
      anchor: `pyarrow ${r.pyarrow?.writeMs?.toFixed(0)} / ${r.pyarrow?.readAllMs?.toFixed(0)} / ${r.pyarrow?.readTwoColumnsMs?.toFixed(0)} ms`,
      ratio: `${x(r.ratios?.write)} / ${x(r.ratios?.readAll)} / ${x(r.ratios?.readIdSalary)}`,
    },
  ],
  train: (r) => {
    const g = r.workloads?.grid;
    const h = r.workloads?.halving;
    const sc = r.workloads?.scaling;
    return [
      {
        workload: `the study's grid on ${g?.rows ? g.rows / 1e6 : '?'}M clean rows, 2 workers`,
        ours: `${s(g?.ours?.seconds)}, test MSE ${x(g?.ours?.testMseOverNoise, 4)} noise`,
        anchor: `GridSearchCV(n_jobs=2) ${s(g?.sklearn?.seconds)}`,
        ratio: x(g?.timeRatio),
      },
      {
        workload: `halving search on ${h?.rows ? h.rows / 1e6 : '?'}M rows`,
        ours: `${s(h?.ours?.seconds)}, test MSE ${x(h?.ours?.testMseOverNoise, 4)} noise`,
        anchor: 'target ≤ 120 s, ≤ 1.01× noise',
        ratio: '—',
      },
      {
        workload: 'trainer 1 → 2 workers (trial throughput)',
        ours: x(sc?.throughputRatio),
        anchor: 'target ≥ 1.8×',
        ratio: x(sc?.throughputRatio),
      },
    ];
  },
  predict: (r) => {
    const two = (r.ours ?? []).find((o: Json) => o.consumers === 2);
    return [
      {
        workload: `predict ${r.rows / 1e6}M rows to HDFS, 2 consumers`,
        ours: `${s(two?.seconds)}, ${two?.peakRssPerConsumerMB ?? '—'} MB/consumer`,
        anchor: `scikit-learn n_jobs=2, local files ${s(r.sklearn?.seconds)}`,
        ratio: x(two && r.sklearn ? two.seconds / r.sklearn.seconds : undefined),
      },
      {
        workload: 'predict 1 → 2 consumers (throughput)',
        ours: x(r.ratios?.twoConsumersOverOne),
        anchor: 'target ≥ 1.8×',
        ratio: x(r.ratios?.twoConsumersOverOne),
      },
    ];
  },
  cluster: (r) => {
    const eff = (v: Json) => (Array.isArray(v) ? v.map((e: number) => e.toFixed(2)).join(' / ') : '—');
    return [
      {
        workload: `scale-out: the services on 1 / 2 / 3 hosts, ${r.totalConsumersPerService} consumers per service in all (ETL, trials, prediction)`,
        ours: `efficiency ETL ${eff(r.efficiency?.etl)}, trials ${eff(r.efficiency?.trials)}, prediction ${eff(r.efficiency?.predict)}`,
        anchor: '1 host at the same cores; target ≥ 0.95',
        // The worst of every workload on more than one host.
        ratio: x(
          Math.min(
            ...['etl', 'trials', 'predict'].flatMap((k) => (r.efficiency?.[k] ?? [Number.NaN]).slice(1)),
          ),
        ),
      },
    ];
  },
  demo: (r) => [
    {
      workload: `lake demo ${r.rows / 1e6}M rows end to end (publish, ETL, train, predict)`,
      ours: s(r.seconds),
      anchor: `the study: ETL ≈ 34 s + training 15 s (10k rows) + inference 20 s (5k rows)`,
      ratio: '—',
    },
  ],
};

export function summaryRows(results: Record<string, Json>): SummaryRow[] {
  const rows = [STUDY_ROW];
  for (const [name, result] of Object.entries(results)) {
    const extract = EXTRACTORS[name];
    if (extract && result) rows.push(...extract(result));
  }
  return rows;
}

/** The newest full-size result file of every benchmark. */
export function latestResults(): Record<string, Json> {
  const out: Record<string, Json> = {};
  const files = readdirSync(resultsDir())
    .filter((f) => /^\d{4}-\d{2}-\d{2}-.+\.json$/.test(f) && !f.endsWith('-quick.json'))
    .sort();
  for (const f of files) {
    const name = f.slice(11, -5);
    if (name in EXTRACTORS) out[name] = JSON.parse(readFileSync(join(resultsDir(), f), 'utf8'));
  }
  return out;
}

export function formatTable(rows: SummaryRow[]): string {
  const cells = rows.map((r) => [r.workload, r.ours, r.anchor, r.ratio]);
  const head = ['workload', 'ours', 'anchor (same run)', 'ours ÷ anchor'];
  return [head, head.map(() => '---'), ...cells].map((c) => `| ${c.join(' | ')} |`).join('\n');
}
