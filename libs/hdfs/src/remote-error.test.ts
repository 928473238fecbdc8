import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HdfsAccessError,
  HdfsAlreadyExistsError,
  HdfsError,
  HdfsNotFoundError,
  HdfsQuotaExceededError,
  HdfsSafeModeError,
} from './errors';
import { parseRemoteException, remoteError } from './remote-error';

const body = (exception: string, message: string, javaClassName = `org.apache.hadoop.x.${exception}`) =>
  JSON.stringify({ RemoteException: { exception, javaClassName, message } });

test('RemoteExceptions map to typed errors carrying status, path and the remote exception', () => {
  const cases: [string, number, new (...a: never[]) => HdfsError, boolean][] = [
    ['FileNotFoundException', 404, HdfsNotFoundError, false],
    ['FileAlreadyExistsException', 403, HdfsAlreadyExistsError, false],
    ['AlreadyBeingCreatedException', 403, HdfsAlreadyExistsError, false],
    ['SafeModeException', 403, HdfsSafeModeError, true],
    ['RetriableException', 403, HdfsSafeModeError, true],
    ['AccessControlException', 403, HdfsAccessError, false],
    ['PathIsNotEmptyDirectoryException', 403, HdfsError, false],
    ['IOException', 500, HdfsError, true],
  ];
  for (const [exception, status, type, retriable] of cases) {
    const e = remoteError(
      'CREATE',
      '/lake/a',
      status,
      body(exception, `boom ${exception}\n\tat org.apache.Foo(Foo.java:1)`),
    );
    assert.ok(e instanceof type, `${exception} -> ${type.name}, got ${e.name}`);
    assert.equal(e.retriable, retriable, exception);
    assert.equal(e.status, status);
    assert.equal(e.path, '/lake/a');
    assert.equal(e.remoteException?.exception, exception);
    assert.match(e.message, new RegExp(`^CREATE /lake/a: ${exception}: boom ${exception}$`));
  }
});

test('quota errors say which quota and are not retriable', () => {
  const ds = remoteError(
    'CREATE',
    '/lake/q/f',
    403,
    body('DSQuotaExceededException', 'The DiskSpace quota of /lake/q is exceeded'),
  );
  assert.ok(ds instanceof HdfsQuotaExceededError);
  assert.equal(ds.quota, 'space');
  assert.equal(ds.retriable, false);
  assert.match(ds.message, /space quota exceeded.*\/lake\/q/);
  const ns = remoteError(
    'MKDIRS',
    '/lake/q/d',
    403,
    body('NSQuotaExceededException', 'The NameSpace quota of /lake/q'),
  );
  assert.ok(ns instanceof HdfsQuotaExceededError);
  assert.equal(ns.quota, 'namespace');
});

test('answers without a RemoteException: 5xx retriable, 4xx not', () => {
  const bad = remoteError('OPEN', '/lake/a', 502, '<html>Bad Gateway</html>');
  assert.equal(bad.retriable, true);
  assert.equal(bad.remoteException, undefined);
  assert.match(bad.message, /HTTP 502/);
  assert.equal(remoteError('OPEN', '/lake/a', 400, '').retriable, false);
  assert.equal(parseRemoteException('{"RemoteException":{}}'), undefined);
  assert.equal(parseRemoteException('not json'), undefined);
});
