import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFromColumns } from '@lakestream/columnar';
import { RandomForestRegressor, StandardScaler } from '@lakestream/forest';
import type { LoadedModel, ModelVersionMetadata } from '@lakestream/models';
import { PredictionInputError } from './errors';
import { scoreTable } from './score-table';

async function fittedModel(features: string[]): Promise<LoadedModel> {
  const n = 2000;
  const x = features.map((_, f) => Float64Array.from({ length: n }, (_, i) => ((i * (f + 7)) % 47) + 18));
  const y = Float64Array.from({ length: n }, (_, i) => 1000 * x[0][i]! + (i % 13));
  const scaler = StandardScaler.fit({ nRows: n, columns: x });
  const model = new RandomForestRegressor({ nEstimators: 5, maxDepth: 6, randomState: 1 });
  await model.fit(scaler.transform({ nRows: n, columns: x }), y);
  const metadata = { features, target: 'salary' } as unknown as ModelVersionMetadata;
  return { name: 'salary', version: 2, model, scaler, metadata };
}

function input(rows: number, withSalary: boolean, ageValid?: Uint8Array) {
  const id = BigInt64Array.from({ length: rows }, (_, i) => BigInt(i + 100));
  const age = Int32Array.from({ length: rows }, (_, i) => 18 + (i % 47));
  const salary = Float64Array.from(age, (a) => 1000 * a + 5);
  return tableFromColumns({
    id: { kind: 'int64', values: id },
    age: { kind: 'int32', values: age, ...(ageValid ? { valid: ageValid } : {}) },
    ...(withSalary ? { salary: { kind: 'float64' as const, values: salary } } : {}),
  });
}

test('scoreTable predicts what the model predicts on scaled features, keeps id and types, sums the squared error', async () => {
  const m = await fittedModel(['age']);
  const table = input(500, true);
  const scored = scoreTable(table, m, '/lake/x/part-00000.parquet');
  assert.deepEqual(
    scored.table.schema.fields.map((f) => `${f.name}:${f.type}`),
    ['id:Int64', 'age:Int32', 'prediction:Float64'],
  );
  const ages = Float64Array.from({ length: 500 }, (_, i) => 18 + (i % 47));
  const expected = m.model.predict(m.scaler.transform({ nRows: 500, columns: [ages] }));
  const got = scored.table.getChild('prediction')!.toArray() as Float64Array;
  assert.deepEqual(Array.from(got), Array.from(expected));
  assert.equal(scored.table.getChild('id')!.get(3), 103n);
  let sse = 0;
  for (let i = 0; i < 500; i++) sse += (expected[i]! - (1000 * ages[i]! + 5)) ** 2;
  assert.ok(Math.abs(scored.sse! - sse) <= 1e-9 * sse);
  assert.equal(scored.labelled, 500);
  assert.equal(scored.predicted, 500);
});

test('scoreTable: no target column means no error sums; a missing feature gives a null prediction', async () => {
  const m = await fittedModel(['age']);
  const valid = new Uint8Array(10).fill(1);
  valid[4] = 0;
  const scored = scoreTable(input(10, false, valid), m, 'p');
  assert.equal(scored.sse, null);
  assert.equal(scored.predicted, 9);
  assert.equal(scored.table.getChild('prediction')!.get(4), null);
  assert.equal(typeof scored.table.getChild('prediction')!.get(5), 'number');
});

test('scoreTable refuses data without the model features, naming the file and the columns', async () => {
  const m = await fittedModel(['age', 'is_active']);
  assert.throws(
    () => scoreTable(input(10, true), m, '/lake/e/clean/batch=b/part-00003.parquet'),
    (e: unknown) =>
      e instanceof PredictionInputError &&
      /part-00003\.parquet/.test(e.message) &&
      /is_active/.test(e.message) &&
      !e.retriable,
  );
});
