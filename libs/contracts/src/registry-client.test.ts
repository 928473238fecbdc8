import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryClient } from './registry-client';

/** A registry answering from a script of (method path → status, body), recording the calls. */
function scripted(answers: Record<string, [number, unknown][]>) {
  const calls: string[] = [];
  const fetch = (async (url: string, init: { method: string }) => {
    const key = `${init.method} ${new URL(url).pathname.replace('/apis/ccompat/v7', '')}`;
    calls.push(key);
    const [status, body] = answers[key]?.shift() ?? [500, { message: `unscripted ${key}` }];
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof globalThis.fetch;
  return { calls, client: new RegistryClient({ url: 'http://registry/apis/ccompat/v7', fetch }) };
}

const taken = { message: "A rule named 'COMPATIBILITY' already exists.", error_code: 409 };

test('setting a compatibility another process set first (409) is accepted when the level is the one wanted', async () => {
  const { calls, client } = scripted({
    'PUT /config/t-value': [[409, taken]],
    'GET /config/t-value': [[200, { compatibilityLevel: 'BACKWARD' }]],
  });
  await client.setCompatibility('t-value', 'BACKWARD');
  assert.deepEqual(calls, ['PUT /config/t-value', 'GET /config/t-value']);
});

test('after a 409 the level is set again when it differs', async () => {
  const { calls, client } = scripted({
    'PUT /config/t-value': [
      [409, taken],
      [200, { compatibility: 'BACKWARD' }],
    ],
    'GET /config/t-value': [[200, { compatibilityLevel: 'NONE' }]],
  });
  await client.setCompatibility('t-value', 'BACKWARD');
  assert.deepEqual(calls, ['PUT /config/t-value', 'GET /config/t-value', 'PUT /config/t-value']);
});
