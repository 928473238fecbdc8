import { runServiceMain } from '@lakestream/nest-common';
import { startPredictorService } from './start';

runServiceMain('predictor', () => startPredictorService());
