import { float64Column, tableFromColumns } from '@lakestream/columnar';
import type { LoadedModel } from '@lakestream/models';
import { type Table, Table as ArrowTable, type Vector } from 'apache-arrow';
import { distinctRows } from './distinct-rows';
import { PredictionInputError } from './errors';

export interface ScoredTable {
  /** id, the model's features, prediction (the target stays in the clean files: join on id). */
  table: Table;
  rows: number;
  /** Rows with every feature present (the others get a null prediction). */
  predicted: number;
  /** Σ(prediction − target)² and the rows it sums over, when the target is present. */
  sse: number | null;
  labelled: number;
  /** The predictions as a typed array (the table's column), 0 where `valid` says null. */
  prediction: Float64Array;
  valid: Uint8Array | null;
}

/**
 * Scores a clean partition's table with a model: its features are scaled with the model's own
 * scaler and predicted in one pass over typed arrays. Columns are checked first, so a mismatch
 * fails before anything is written.
 */
export function scoreTable(input: Table, m: LoadedModel, path: string): ScoredTable {
  const { features, target } = m.metadata;
  const have = new Set(input.schema.fields.map((f) => f.name));
  const missing = ['id', ...features].filter((c) => !have.has(c));
  if (missing.length > 0)
    throw new PredictionInputError(
      path,
      `model ${m.name} v${m.version} needs column(s) ${missing.join(', ')}; the file has ${[...have].join(', ')}`,
    );
  if (m.model.forest.nFeatures !== features.length)
    throw new PredictionInputError(
      path,
      `model ${m.name} v${m.version} lists ${features.length} features but its forest takes ${m.model.forest.nFeatures}`,
    );
  const n = input.numRows;
  const columns = features.map((f) => float64Column(input, f));
  const valid = combinedValidity(
    columns.map((c) => c.valid),
    n,
  );
  // The forest refuses NaN: rows with a missing feature are scored on zeros, then nulled.
  if (valid) for (const c of columns) for (let i = 0; i < n; i++) if (valid[i] === 0) c.values[i] = 0;
  const prediction = predict(
    m,
    columns.map((c) => c.values),
    n,
  );

  let sse: number | null = null;
  let labelled = 0;
  if (have.has(target)) {
    const y = float64Column(input, target);
    sse = 0;
    for (let i = 0; i < n; i++) {
      if ((valid && valid[i] === 0) || (y.valid && y.valid[i] === 0)) continue;
      const e = prediction[i]! - y.values[i]!;
      sse += e * e;
      labelled++;
    }
  }
  let predicted = n;
  if (valid) for (let i = 0; i < n; i++) predicted -= 1 - valid[i]!;

  const predictionVector = tableFromColumns({
    prediction: { kind: 'float64', values: prediction, ...(valid ? { valid } : {}) },
  }).getChild('prediction')!;
  const out: Record<string, Vector> = {};
  for (const name of ['id', ...features]) out[name] = input.getChild(name)!;
  out.prediction = predictionVector;
  return { table: new ArrowTable(out), rows: n, predicted, sse, labelled, prediction, valid };
}

/** 1 where every column has a value; null when no column has a null. */
function combinedValidity(valids: (Uint8Array | null)[], n: number): Uint8Array | null {
  const present = valids.filter((v): v is Uint8Array => v !== null);
  if (present.length === 0) return null;
  const out = new Uint8Array(n).fill(1);
  for (const v of present) for (let i = 0; i < n; i++) out[i]! &= v[i]!;
  return out;
}

/** The model's predictions for the rows, through their distinct feature vectors when there are few. */
function predict(m: LoadedModel, columns: Float64Array[], n: number): Float64Array {
  const distinct = distinctRows(columns, n);
  if (!distinct) return m.model.predict(m.scaler.transform({ nRows: n, columns }));
  const k = distinct.unique[0]?.length ?? 0;
  const values =
    k === 0
      ? new Float64Array(0)
      : m.model.predict(m.scaler.transform({ nRows: k, columns: distinct.unique }));
  const out = new Float64Array(n);
  const codes = distinct.codes;
  for (let i = 0; i < n; i++) out[i] = values[codes[i]]!;
  return out;
}
