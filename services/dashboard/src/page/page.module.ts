import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PageController } from './page.controller';
import { PageTokenGuard } from './page-token.guard';
import { UnavailableFilter } from './unavailable.filter';

/** The static page, /dashboard/info, the API token guard (the page excepted) and error answers. */
@Module({
  controllers: [PageController],
  providers: [
    { provide: APP_GUARD, useClass: PageTokenGuard },
    { provide: APP_FILTER, useClass: UnavailableFilter },
  ],
})
export class PageModule {}
