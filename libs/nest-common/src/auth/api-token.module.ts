import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokenGuard } from './api-token.guard';

/** Installs ApiTokenGuard on every route of the application. Needs `LAKE_CONFIG`. */
@Module({ providers: [{ provide: APP_GUARD, useClass: ApiTokenGuard }] })
export class ApiTokenModule {}
