import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { LakeConfig } from '@lakestream/config';
import { chunkKey, createRegistryCodec, TOPICS } from '@lakestream/contracts';
import { assertName, InvalidInputError, LakePaths } from '@lakestream/core';
import { rangeEdges } from '@lakestream/drift';
import { HdfsClient } from '@lakestream/hdfs';
import { createProducer, type Producer } from '@lakestream/kafka';
import { ModelRegistry, parseModelRef } from '@lakestream/models';
import { LAKE_CONFIG } from '@lakestream/nest-common';
import { type PredictionSummary, predictBatch } from '@lakestream/prediction';

export interface BackfillRequest {
  dataset?: string;
  batch?: string;
  /** name, name@3 or name@alias; default the configured model at the configured alias. */
  model?: string;
}

/** `POST /predictor/predict`: predicts a whole clean batch now, with any model version. */
@Injectable()
export class BackfillService implements OnApplicationShutdown {
  private readonly hdfs: HdfsClient;
  private readonly paths: LakePaths;
  private producer?: Promise<Producer>;

  constructor(@Inject(LAKE_CONFIG) private readonly config: LakeConfig) {
    this.hdfs = new HdfsClient({
      namenodeUrl: config.hdfs.namenodeUrl,
      user: config.hdfs.user,
      lakeRoot: config.hdfs.lakeRoot,
    });
    this.paths = new LakePaths(config.hdfs.lakeRoot);
  }

  async predict(request: BackfillRequest): Promise<PredictionSummary> {
    if (typeof request.batch !== 'string') throw new InvalidInputError('batch: required', 'batch');
    const dataset = assertName('dataset', request.dataset ?? 'employees');
    const batch = assertName('batch', request.batch);
    const model = parseModelRef(
      request.model ?? `${this.config.predictor.model}@${this.config.predictor.alias}`,
    );
    const producer = await this.connectedProducer();
    return predictBatch(
      {
        hdfs: this.hdfs,
        paths: this.paths,
        registry: new ModelRegistry(this.hdfs, this.paths),
        worker: `predictor@${hostname()}/${process.pid}/http`,
        ...(this.config.drift.bins.prediction
          ? { predictionEdges: rangeEdges(this.config.drift.bins.prediction) }
          : {}),
        onWritten: async (written) => {
          await producer.send(TOPICS.predictions.name, [
            { key: chunkKey(written.dataset, written.batch, written.partition), value: written },
          ]);
        },
      },
      { dataset, batch, model },
    );
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const p = createProducer({
        brokers: this.config.kafka.brokers,
        clientId: `${this.config.kafka.clientId}-predictor-http`,
        codec: createRegistryCodec({ url: this.config.registry.url }),
      });
      await p.connect();
      return p;
    })();
    return this.producer;
  }

  async onApplicationShutdown(): Promise<void> {
    await (await this.producer?.catch(() => undefined))?.disconnect();
    this.hdfs.close();
  }
}
