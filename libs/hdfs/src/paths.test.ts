import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HdfsPathError } from './errors';
import { normaliseRoot, resolveLakePath, webhdfsPath } from './paths';

const root = '/lake';

test('relative and absolute paths resolve below the lake root, normalised', () => {
  assert.equal(
    resolveLakePath(root, 'ds/raw/batch=b1/part-00000.parquet'),
    '/lake/ds/raw/batch=b1/part-00000.parquet',
  );
  assert.equal(resolveLakePath(root, '/lake/ds//clean/./x'), '/lake/ds/clean/x');
  assert.equal(resolveLakePath(root, '/lake/ds/a/../b'), '/lake/ds/b');
  assert.equal(resolveLakePath(root, '/lake/'), '/lake');
  assert.equal(resolveLakePath(root, '.'), '/lake');
});

test('traversal out of the lake root is refused', () => {
  for (const bad of [
    '..',
    '../etc/passwd',
    '/lake/../etc',
    '/lake/ds/../../tmp',
    '/lakehouse/x',
    '/tmp/x',
    '//tmp',
    '/../../..',
    'ds/%2e%2e/%2e%2e/etc',
    '/lake/%2E%2E',
    '/lake/a%2fb',
    '/lake/a\u0000b',
    '/lake/a\nb',
    '/lake/a\\..\\..\\etc',
    '/lake/c:/x',
    '',
  ]) {
    assert.throws(
      () => resolveLakePath(root, bad),
      HdfsPathError,
      `expected ${JSON.stringify(bad)} to be refused`,
    );
  }
});

test('a root of / allows everything absolute; roots are normalised and checked', () => {
  assert.equal(resolveLakePath('/', '/tmp/x'), '/tmp/x');
  assert.equal(normaliseRoot('/lake-test//hdfs-1/'), '/lake-test/hdfs-1');
  assert.throws(() => normaliseRoot('lake'), HdfsPathError);
  assert.throws(() => normaliseRoot('/lake/../etc'), HdfsPathError);
});

test('URL paths encode every segment', () => {
  assert.equal(webhdfsPath('/lake/ds/batch=b 1/a#b?c'), '/webhdfs/v1/lake/ds/batch%3Db%201/a%23b%3Fc');
  assert.equal(new URL(`http://h${webhdfsPath('/lake/a b')}`).pathname, '/webhdfs/v1/lake/a%20b');
});
