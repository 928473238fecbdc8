import { runServiceMain } from '@lakestream/nest-common';
import { startTrainerService } from './start';

runServiceMain('trainer', () => startTrainerService());
