import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { LAKE_CONFIG } from '../tokens';
import { bearerMatches, isPublicPath, requiredApiToken } from './api-token-policy';

interface HttpRequestLike {
  path?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * When the service binds beyond loopback, every HTTP route except /health/* needs
 * `Authorization: Bearer <http.apiToken>`. Constructing the guard without a token in that
 * case throws ApiTokenRequiredError, so the application refuses to start.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly token: string | undefined;

  constructor(@Inject(LAKE_CONFIG) config: LakeConfig) {
    this.token = requiredApiToken(config);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.token === undefined || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const path = request.path ?? (request.url ?? '').split('?')[0];
    if (isPublicPath(path)) return true;
    const header = request.headers.authorization;
    if (bearerMatches(Array.isArray(header) ? header[0] : header, this.token)) return true;
    throw new UnauthorizedException('missing or wrong API token (Authorization: Bearer <token>)');
  }
}
