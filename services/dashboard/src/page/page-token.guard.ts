import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ApiTokenGuard } from '@lakestream/nest-common';

/** The page itself holds no data, so it stays open; the page sends the token on its API calls. */
export const PAGE_PATHS = new Set(['/', '/index.html']);

/**
 * ApiTokenGuard, except for the static page: a browser cannot add `Authorization` to a
 * navigation, so the page reads the token from `#token=…` and sends it with each API call.
 */
@Injectable()
export class PageTokenGuard extends ApiTokenGuard {
  override canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<{ path?: string; url?: string }>();
      if (PAGE_PATHS.has(request.path ?? (request.url ?? '').split('?')[0])) return true;
    }
    return super.canActivate(context);
  }
}
