export { startEtlService, ETL_VERSION } from './start';
export { AppModule } from './app.module';
export { EtlModule } from './etl/etl.module';
export type { EtlInfo } from './etl/etl.service';
export type { EtlReportFile } from './partition/batch-report';
