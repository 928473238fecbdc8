export { startTrainerService, TRAINER_VERSION } from './start';
export { AppModule } from './app.module';
export { TrainerModule } from './trainer/trainer.module';
export type { TrainerInfo } from './trainer/trainer.service';
export type { JobRequest, JobStatus } from './trainer/training-jobs.service';
