import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type ConsumerRunner, createKafkaRunner } from '@lakestream/kafka';
import {
  brokers,
  codec,
  countByKey,
  createTopics,
  deleteTopics,
  fastGroup,
  fastRetry,
  publish,
  readAll,
  sleepMs,
  uniqueName,
  waitFor,
} from './helpers';

const created: string[] = [];
after(() => deleteTopics(created));

test('N members of one group (a second joins mid-stream, the first leaves): every input exactly once', async () => {
  const input = uniqueName('kr-in');
  const output = uniqueName('kr-out');
  const groupId = uniqueName('kr-group');
  created.push(input, output);
  await createTopics([input, output], 4);
  const n = 40;
  await publish(
    input,
    Array.from({ length: n }, (_, i) => ({ key: `k-${i}`, value: { n: i }, partition: i % 4 })),
  );
  let calls = 0;
  const member = (name: string): ConsumerRunner =>
    createKafkaRunner<{ n: number }>({
      brokers: brokers(),
      clientId: name,
      groupId,
      topics: [input],
      codec,
      concurrency: 2,
      retry: fastRetry,
      ...fastGroup,
      handler: async (message, ctx) => {
        calls++;
        await sleepMs(300);
        await ctx.send(output, message.key, { n: message.value.n, by: name });
      },
    });
  const a = member('member-a');
  const b = member('member-b');
  const handled = () => a.metrics().messagesHandled + b.metrics().messagesHandled;
  await a.start();
  try {
    await waitFor(() => handled() >= 8, 30_000, 'a to handle 8');
    await b.start();
    await waitFor(() => handled() >= 20, 30_000, '20 handled by a and b');
    await a.stop();
    await waitFor(() => handled() >= n, 45_000, `${n} handled`);
    await sleepMs(1000);
  } finally {
    await a.stop();
    await b.stop();
  }
  const report = JSON.stringify({ a: a.metrics(), b: b.metrics() });
  assert.equal(handled(), n, `each input committed once across both members: ${report}`);
  // Members stop after their current message when the group rebalances and rejoin at once:
  // no message was in work on a partition that moved, so none was handled twice.
  assert.equal(calls, n, `handler calls: ${report}`);
  assert.ok(b.metrics().messagesHandled > 0, `the second member took partitions over: ${report}`);
  assert.ok(b.metrics().groupJoins >= 2 || a.metrics().groupJoins >= 2, 'the group did rebalance');
  const outputs = await readAll(output, { expected: n, settleMs: 2000 });
  const counts = countByKey(outputs);
  assert.equal(
    outputs.length,
    n,
    `one committed output per input: ${JSON.stringify([...counts].filter(([, c]) => c !== 1))}`,
  );
  assert.equal(counts.size, n);
});
