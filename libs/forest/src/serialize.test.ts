import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ForestFormatError } from './errors';
import { RandomForestClassifier, RandomForestRegressor } from './forest';
import { loadModel, saveModel } from './model-file';
import { deserializeForest } from './serialize';
import { studyData } from './study-data.fixture';

async function fitted() {
  const d = studyData(2000, 1);
  return new RandomForestRegressor({ nEstimators: 4, maxDepth: 5, randomState: 2, nJobs: 1 }).fit(
    [d.age, d.isActive],
    d.salary,
  );
}

test('a saved model loads back and predicts identically; the metadata describes the file', async () => {
  const rf = await fitted();
  const { bytes, metadata } = saveModel(rf, { featureNames: ['age', 'is_active'] });
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString(), 'LKRF');
  assert.equal(metadata.byteLength, bytes.length);
  assert.equal(metadata.nTrees, 4);
  const back = loadModel(bytes, JSON.parse(JSON.stringify(metadata)));
  assert.ok(back instanceof RandomForestRegressor);
  const t = studyData(500, 3);
  assert.deepEqual(back.predict([t.age, t.isActive]), rf.predict([t.age, t.isActive]));
  assert.deepEqual(back.featureImportances(), rf.featureImportances());
  assert.equal(back.params.maxDepth, 5);
});

test('a classifier round-trips with its class labels', async () => {
  const x = [[1, 2, 3, 4, 5, 6]];
  const clf = await new RandomForestClassifier({
    nEstimators: 3,
    randomState: 1,
    nJobs: 1,
    bootstrap: false,
  }).fit(x, [7, 7, 7, 9, 9, 9]);
  const back = loadModel(saveModel(clf).bytes) as RandomForestClassifier;
  assert.deepEqual(Array.from(back.classes), [7, 9]);
  assert.deepEqual(Array.from(back.predict(x)), [7, 7, 7, 9, 9, 9]);
});

test('bad magic, unsupported version, truncation, trailing bytes and corruption give clear errors', async () => {
  const { bytes, metadata } = saveModel(await fitted());
  const expectError = (b: Uint8Array, re: RegExp) =>
    assert.throws(
      () => deserializeForest(b),
      (e: Error) => e instanceof ForestFormatError && re.test(e.message),
      re.source,
    );
  const copy = () => Uint8Array.from(bytes);
  const magic = copy();
  magic[0] = 0x50;
  expectError(magic, /bad magic "PKRF"/);
  const version = copy();
  version[4] = 9;
  expectError(version, /unsupported model file version 9/);
  expectError(bytes.subarray(0, 10), /truncated at byte 10: the header needs 24 bytes/);
  expectError(
    bytes.subarray(0, 1000),
    new RegExp(`truncated at byte 1000: the header announces ${bytes.length} bytes`),
  );
  expectError(Uint8Array.from([...bytes, 0]), /1 unexpected bytes/);
  const flipped = copy();
  flipped[500] ^= 1;
  expectError(flipped, /checksum mismatch/);
  assert.throws(() => loadModel(flipped, metadata), /does not match the metadata/);
  expectError(new Uint8Array(0), /truncated at byte 0/);
});

test('a file with a valid checksum but a cyclic tree is refused before use', async () => {
  const rf = await fitted();
  const f = rf.forest;
  const left = Int32Array.from(f.left);
  const i = left.findIndex((v) => v >= 0);
  left[i] = 0; // points back at the root
  const { serializeForest } = await import('./serialize');
  const bytes = serializeForest({ kind: 'regression', forest: { ...f, left } });
  assert.throws(() => deserializeForest(bytes), /invalid forest: node 0 has children/);
});

test('a model read into a Node Buffer at an odd offset of a shared pool loads the same', async () => {
  const rf = await fitted();
  const { bytes } = saveModel(rf, { featureNames: ['age', 'is_active'] });
  // What an HTTP or file read hands back: a Buffer view into a larger, unaligned pool.
  const pool = Buffer.alloc(bytes.length + 13);
  pool.set(bytes, 5);
  const view = pool.subarray(5, 5 + bytes.length);
  const back = loadModel(view);
  const t = studyData(200, 4);
  assert.deepEqual(back.predict([t.age, t.isActive]), rf.predict([t.age, t.isActive]));
});
