import { timingSafeEqual } from 'node:crypto';
import { bindsBeyondLoopback, type LakeConfig } from '@lakestream/config';
import { ApiTokenRequiredError } from '../errors';

/** Routes that stay open so orchestrators can probe a service without credentials. */
export function isPublicPath(path: string): boolean {
  return path === '/health' || path.startsWith('/health/');
}

/** The token every request must present, or undefined when the service only listens on loopback. */
export function requiredApiToken(config: LakeConfig): string | undefined {
  if (!bindsBeyondLoopback(config.http.host)) return undefined;
  const token = config.http.apiToken;
  if (!token) throw new ApiTokenRequiredError(config.http.host);
  return token;
}

/** Throws ApiTokenRequiredError when the service would listen beyond loopback unprotected. */
export function assertApiTokenPolicy(config: LakeConfig): void {
  requiredApiToken(config);
}

/** True when the Authorization header is exactly `Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
