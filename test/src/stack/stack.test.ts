import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { StackError, stackStatus, stackUp } from '@lakestream/stack';
import { tempDir } from '@lakestream/testkit';
import { stackConfig } from './config';

test('stack up on a running stack starts nothing and leaves every pid as it was', async () => {
  const config = stackConfig();
  const before = await stackStatus({ config });
  assert.ok(
    before.every((s) => s.ready),
    `all servers ready: ${JSON.stringify(before)}`,
  );
  const again = await stackUp({ config });
  assert.deepEqual(again.started, []);
  assert.deepEqual(
    again.servers.map((s) => s.pid),
    before.map((s) => s.pid),
  );
});

test('a port taken by another process gives one clear error naming the port and the fix', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const base = stackConfig();
    const config = {
      ...base,
      stack: {
        ...base.stack,
        dataDir: join(tempDir(), 'stack'),
        ports: { ...base.stack.ports, kafka: port },
      },
    };
    await assert.rejects(stackUp({ config, only: ['kafka'] }), (error: unknown) => {
      assert.ok(error instanceof StackError);
      assert.match(
        error.message,
        new RegExp(`port ${port} on 127.0.0.1 is already in use, so kafka cannot start`),
      );
      assert.match(error.message, /stack\.ports/);
      return true;
    });
  } finally {
    blocker.close();
  }
});

test('a server that cannot start takes down what the same start began, and names the cause', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  const base = stackConfig();
  const free = async () => {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    return port;
  };
  // Kafka on free ports starts; the registry's management port is taken only once Kafka runs.
  const config = {
    ...base,
    stack: {
      ...base.stack,
      dataDir: join(tempDir(), 'stack'),
      ports: {
        ...base.stack.ports,
        kafka: await free(),
        kafkaController: await free(),
        registry: await free(),
        registryManagement: taken,
      },
    },
  };
  try {
    await assert.rejects(
      stackUp({ config, only: ['kafka', 'registry'] }),
      new RegExp(`port ${taken} on 127.0.0.1 is already in use, so registry cannot start`),
    );
    const after = await stackStatus({ config, only: ['kafka', 'registry'] });
    assert.deepEqual(
      after.map((s) => [s.name, s.running]),
      [
        ['kafka', false],
        ['registry', false],
      ],
      'the Kafka this start began was stopped again',
    );
  } finally {
    blocker.close();
  }
});
