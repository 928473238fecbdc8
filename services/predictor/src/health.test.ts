import { describeServiceWithoutDependencies } from '@lakestream/testkit';
import { startPredictorService } from './index';

describeServiceWithoutDependencies('predictor', startPredictorService);
