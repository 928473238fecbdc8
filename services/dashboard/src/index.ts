export { startDashboardService, DASHBOARD_VERSION } from './start';
export { AppModule } from './app.module';
export { PUBLIC_DIR } from './page/public-dir';
export { summariseBatch } from './batches/batch-status';
export type {
  BatchListing,
  BatchState,
  BatchSummary,
  EtlSummary,
  PartitionProgress,
  StageProgress,
} from './batches/batch-status';
export type { BatchDetail, BatchList, EtlReportJson, ManifestJson } from './batches/batches.service';
export { parsePredictionsFolder, predictStage } from './batches/predict-stage';
export type { PredictionsListing, PredictionsProgress, PredictStage } from './batches/predict-stage';
export type { BatchPredictions, VersionPredictions } from './batches/predictions.service';
export type { GroupLag, LagView } from './kafka/lag.service';
export type { TopicLag } from './kafka/lag';
export type { DlqEntry, DlqTopic, DlqView } from './kafka/dlq.service';
export type { DashboardInfo } from './page/page.controller';
export type {
  ModelList,
  ModelVersionDetail,
  ModelVersionSummary,
  PredictionCurve,
} from './models/models.service';
export type { RankedTrial } from './models/leaderboard';
