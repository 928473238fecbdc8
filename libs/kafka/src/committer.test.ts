import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commitOffsetFor, nextOffset, TransactionalCommitter } from './committer';
import type { FetchedBatch, KafkaDriver, ProducerTransaction, TransactionalProducerDriver } from './driver';
import { KafkaUnavailableError } from './errors';

const batch = { topic: 'in', partition: 1, messages: [], lastOffset: '0' } as unknown as FetchedBatch;

function fakeDriver(log: string[], failCommitOnce: { value: boolean }): KafkaDriver {
  const producer: TransactionalProducerDriver = {
    transactionalId: 'g-in-1',
    initTransactions: async () => {
      log.push('init');
    },
    begin: async (): Promise<ProducerTransaction> => ({
      send: async (records) => {
        log.push(`send ${records.map((r) => r.key).join(',')}`);
      },
      sendOffsets: async (o) => {
        log.push(`offsets ${o.groupId} ${o.topic}/${o.partition}=${o.nextOffset}`);
      },
      commit: async () => {
        if (failCommitOnce.value) {
          failCommitOnce.value = false;
          throw new KafkaUnavailableError('EndTxn timed out');
        }
        log.push('commit');
      },
      abort: async () => {
        log.push('abort');
      },
    }),
    disconnect: async () => {},
  };
  return { transactionalProducer: () => producer } as unknown as KafkaDriver;
}

test('nextOffset adds one without losing 64-bit precision', () => {
  assert.equal(nextOffset('41'), '42');
  assert.equal(nextOffset('9007199254740993'), '9007199254740994');
});

test('the last visible message of a batch commits past the commit markers behind it', () => {
  const withMarker = {
    messages: [{ offset: '4' }, { offset: '6' }],
    lastOffset: '7',
  } as unknown as FetchedBatch;
  assert.equal(commitOffsetFor(withMarker, '4'), '5');
  assert.equal(commitOffsetFor(withMarker, '6'), '8');
  const plain = { messages: [{ offset: '4' }], lastOffset: '4' } as unknown as FetchedBatch;
  assert.equal(commitOffsetFor(plain, '4'), '5');
});

test('records and the input offset go in one transaction', async () => {
  const log: string[] = [];
  const committer = new TransactionalCommitter(fakeDriver(log, { value: false }), 'g', async () => -1);
  await committer.commit(batch, '9', [{ topic: 'out', key: 'a', value: Buffer.from('1') }]);
  assert.deepEqual(log, ['send a', 'offsets g in/1=10', 'commit']);
});

test('after a commit that failed without an answer, a retry finds it took effect and sends nothing again', async () => {
  const log: string[] = [];
  let committed = -1;
  const committer = new TransactionalCommitter(fakeDriver(log, { value: true }), 'g', async () => committed);
  const records = [{ topic: 'out', key: 'a', value: Buffer.from('1') }];
  await assert.rejects(committer.commit(batch, '9', records), KafkaUnavailableError);
  committed = 10; // the broker had committed it after all
  await committer.commit(batch, '9', records);
  assert.deepEqual(log, ['send a', 'offsets g in/1=10', 'abort', 'abort']);
});

test('after a commit that failed and did not take effect, the retry commits', async () => {
  const log: string[] = [];
  const committer = new TransactionalCommitter(fakeDriver(log, { value: true }), 'g', async () => 9);
  const records = [{ topic: 'out', key: 'a', value: Buffer.from('1') }];
  await assert.rejects(committer.commit(batch, '9', records));
  await committer.commit(batch, '9', records);
  assert.deepEqual(log, ['send a', 'offsets g in/1=10', 'abort', 'send a', 'offsets g in/1=10', 'commit']);
});
