import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '@lakestream/observability';
import { PinoLoggerService } from './pino-logger.service';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return {
    logger: new PinoLoggerService(createLogger({ service: 'etl', level: 'debug', destination })),
    lines,
  };
}

describe('PinoLoggerService', () => {
  it('writes Nest log calls as JSON with the context', () => {
    const { logger, lines } = capture();
    logger.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    logger.warn({ apiToken: 'leak-me', detail: 1 }, 'Ctx');
    logger.verbose('hidden below debug');
    assert.equal(lines[0].level, 'info');
    assert.equal(lines[0].context, 'RouterExplorer');
    assert.equal(lines[0].service, 'etl');
    assert.equal(lines[0].msg, 'Mapped {/health/live, GET} route');
    assert.equal(lines[1].level, 'error');
    assert.equal(lines[1].context, 'ExceptionsHandler');
    assert.match(String(lines[1].stack), /at x/);
    assert.equal(lines[2].apiToken, '[redacted]');
    assert.equal(lines.length, 3);
  });
});
