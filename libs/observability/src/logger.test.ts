import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, type LogLevel } from './index';

/** A logger whose JSON lines are collected (pino writes synchronously to a plain stream). */
function capture(level: LogLevel = 'info', bindings?: Record<string, string | number>) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  const logger = createLogger({ service: 'etl', level, bindings, destination });
  return { logger, lines, raw };
}

describe('createLogger', () => {
  it('writes one JSON object per line with service, level, time and message', () => {
    const { logger, lines } = capture();
    logger.info('listening');
    assert.equal(lines.length, 1);
    assert.equal(lines[0].service, 'etl');
    assert.equal(lines[0].level, 'info');
    assert.equal(lines[0].msg, 'listening');
    assert.ok(!Number.isNaN(Date.parse(String(lines[0].time))));
  });

  it('carries bindings and child bindings on every line', () => {
    const { logger, lines } = capture('info', { dataset: 'people' });
    logger.child({ batch: 'b1', partition: 3 }).info({ rows: 10 }, 'partition done');
    assert.equal(lines[0].dataset, 'people');
    assert.equal(lines[0].batch, 'b1');
    assert.equal(lines[0].partition, 3);
    assert.equal(lines[0].rows, 10);
  });

  it('respects the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['shown'],
    );
  });

  it('never writes secrets: tokens, passwords, authorization headers', () => {
    const { logger, raw, lines } = capture();
    const secrets = ['tok-123-secret', 'hunter2', 'Bearer abc.def', 'sess=42', 'nested-tok'];
    logger.info({ apiToken: secrets[0], password: secrets[1] }, 'top level');
    logger.info(
      { req: { method: 'GET', headers: { authorization: secrets[2], cookie: secrets[3] } } },
      'request',
    );
    logger.info({ config: { http: { apiToken: secrets[4], host: '0.0.0.0' } } }, 'config');
    logger.child({ password: secrets[1] }).info('child');
    const text = raw.join('\n');
    for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.equal(lines[0].apiToken, '[redacted]');
    assert.equal((lines[1].req as { method: string }).method, 'GET');
    assert.equal((lines[2].config as { http: { host: string } }).http.host, '0.0.0.0');
  });
});
