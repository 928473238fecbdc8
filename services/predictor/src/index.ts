export { startPredictorService, PREDICTOR_VERSION } from './start';
export { AppModule } from './app.module';
export { PredictorModule } from './predictor/predictor.module';
export type { PredictorInfo } from './predictor/predictor.service';
