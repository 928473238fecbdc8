import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionContext } from '@nestjs/common';
import { UnauthorizedException } from '@nestjs/common';
import { type LakeConfig, loadConfig } from '@lakestream/config';
import { ApiTokenRequiredError } from '../errors';
import { ApiTokenGuard } from './api-token.guard';
import { bearerMatches, isPublicPath } from './api-token-policy';

function config(host: string, apiToken?: string): LakeConfig {
  return loadConfig({ home: '/nonexistent', env: {}, overrides: { http: { host, apiToken } } });
}

function http(path: string, authorization?: string): ExecutionContext {
  const request = { path, url: path, headers: authorization === undefined ? {} : { authorization } };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('ApiTokenGuard', () => {
  it('lets everything through when bound to loopback, token or not', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      const guard = new ApiTokenGuard(config(host));
      assert.equal(guard.canActivate(http('/etl/info')), true);
      assert.equal(guard.canActivate(http('/metrics', 'Bearer wrong')), true);
    }
  });

  it('refuses to be built beyond loopback without a token', () => {
    for (const host of ['0.0.0.0', '10.1.2.3', '::']) {
      assert.throws(
        () => new ApiTokenGuard(config(host)),
        (e: unknown) => {
          assert.ok(e instanceof ApiTokenRequiredError);
          assert.match(
            e.message,
            new RegExp(`http.host=${host.replace(/\./g, '\\.')} binds beyond loopback`),
          );
          return true;
        },
      );
    }
  });

  it('beyond loopback, requires the exact bearer token on every route but /health/*', () => {
    const guard = new ApiTokenGuard(config('0.0.0.0', 's3cret-token'));
    assert.equal(guard.canActivate(http('/etl/info', 'Bearer s3cret-token')), true);
    assert.equal(guard.canActivate(http('/metrics', 'bearer s3cret-token')), true);
    for (const auth of [
      undefined,
      '',
      'Bearer',
      'Bearer s3cret-tokeN',
      'Bearer s3cret-token2',
      'Basic s3cret-token',
      's3cret-token',
    ]) {
      assert.throws(() => guard.canActivate(http('/etl/info', auth)), UnauthorizedException, String(auth));
      assert.throws(() => guard.canActivate(http('/metrics', auth)), UnauthorizedException, String(auth));
    }
    assert.equal(guard.canActivate(http('/health/live')), true);
    assert.equal(guard.canActivate(http('/health/ready')), true);
    assert.throws(() => guard.canActivate(http('/healthz')), UnauthorizedException);
  });

  it('ignores non-HTTP contexts', () => {
    const guard = new ApiTokenGuard(config('0.0.0.0', 't'));
    assert.equal(guard.canActivate({ getType: () => 'rpc' } as unknown as ExecutionContext), true);
  });
});

describe('api token policy helpers', () => {
  it('isPublicPath covers /health and below only', () => {
    assert.deepEqual(
      ['/health', '/health/live', '/health/ready', '/healthy', '/metrics', '/etl/health'].map(isPublicPath),
      [true, true, true, false, false, false],
    );
  });
  it('bearerMatches compares the whole token', () => {
    assert.equal(bearerMatches('Bearer abc', 'abc'), true);
    assert.equal(bearerMatches('Bearer ab', 'abc'), false);
    assert.equal(bearerMatches('Bearer abcd', 'abc'), false);
    assert.equal(bearerMatches(undefined, 'abc'), false);
  });
});
