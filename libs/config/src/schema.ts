/** The one configuration every lakestream process reads: services, CLI, stack, tests. */
export interface LakeConfig {
  kafka: {
    /** host:port list. */
    brokers: string[];
    clientId: string;
    /** Partitions of every lakestream topic: the upper bound on consumers per group. */
    topicPartitions: number;
    replicationFactor: number;
  };
  hdfs: {
    /** NameNode HTTP address (WebHDFS lives at /webhdfs/v1 below it). */
    namenodeUrl: string;
    user: string;
    /** Everything lakestream reads or writes lies below this folder. */
    lakeRoot: string;
    /** Sweeping `<lakeRoot>/_tmp` of staging folders left by killed writers (etl and trainer do it). */
    staging: {
      /** A staging folder older than this is abandoned; it must exceed the longest staged write. */
      maxAgeMs: number;
      /** Between sweeps after the one at start-up; 0 sweeps at start-up only. */
      sweepIntervalMs: number;
    };
  };
  registry: {
    /** Confluent-compatible API base, e.g. Apicurio's /apis/ccompat/v7. */
    url: string;
  };
  http: {
    /** Address the services' HTTP endpoints bind to. */
    host: string;
    /** Required by the HTTP APIs when they bind beyond loopback. From the environment only. */
    apiToken?: string;
    ports: { ingest: number; etl: number; trainer: number; predictor: number; dashboard: number };
  };
  ingest: {
    /** Largest upload the ingest service's HTTP endpoint accepts, in bytes (413 beyond it). */
    maxUploadBytes: number;
    /** Local folder for uploads and re-partitioning spill files (default: the system's temp folder). */
    tmpDir: string;
  };
  predictor: {
    /** The model whose `alias` version scores every new clean batch. */
    model: string;
    /** Alias followed by continuous prediction (a promotion applies from the next batch). */
    alias: string;
    /** Consumer group of the continuous predictor; a second deployment (another model) takes its own. */
    group: string;
    /** Datasets scored continuously; empty: every dataset. */
    datasets: string[];
  };
  drift: {
    /**
     * Fixed histogram bins per numeric column (and `prediction`), from..to by step plus an
     * under- and an overflow bin. The ETL and the predictor bin with the same edges, so batches
     * compare and merge exactly; changing them makes older batches incomparable.
     */
    bins: Record<string, { from: number; to: number; step: number }>;
    thresholds: {
      /** Population stability index above which a feature (or the prediction) has drifted. */
      psi: number;
      /** Binned Kolmogorov–Smirnov statistic above which it has drifted. */
      ks: number;
      /** Live MSE above this multiple of the model's test MSE is an alert (when the target is present). */
      mseRatio: number;
    };
  };
  /** Model monitoring beyond drift.json: the trainer service's monitor (retrain policy, champion/challenger). */
  monitoring: {
    retrain: {
      /** off; on-drift: a job when a batch's drift.json has an alert; every: after every `everyBatches` batches. */
      policy: 'off' | 'on-drift' | 'every';
      everyBatches: number;
      /** The newest labelled batches (scored by production as they arrived) a retrain trains on. */
      window: number;
    };
    challenger: {
      /** Judge each new candidate against production on the latest labelled batch, and promote a winner. */
      enabled: boolean;
      /** One-sided confidence of the lower bound on the per-row squared-error gain. */
      confidence: number;
      /** Fewer comparable rows than this: no promotion. */
      minRows: number;
      /** Relative MSE gain required beyond the bound (0: any significant gain). */
      minImprovement: number;
    };
    /** Consumer group of the monitor on lake.predictions and lake.models. */
    group: string;
  };
  workers: {
    /** Workers per service process (`--concurrency`). */
    concurrency: number;
  };
  stack: {
    /** Where downloaded jars live (git-ignored). */
    cacheDir: string;
    /** Where Kafka, HDFS and the registry keep their data and logs. */
    dataDir: string;
    /** Address the local servers listen on and advertise. */
    host: string;
    /**
     * Where this machine's DataNode finds the NameNode when the NameNode runs on another
     * machine (a worker host of a cluster); empty: `host`.
     */
    namenodeHost: string;
    /** Copies of each HDFS block written through this machine's DataNode (WebHDFS writes take its setting). */
    hdfsReplication: number;
    ports: {
      kafka: number;
      kafkaController: number;
      namenodeRpc: number;
      namenodeHttp: number;
      datanode: number;
      datanodeHttp: number;
      datanodeIpc: number;
      registry: number;
      /** Apicurio's management interface (health, metrics). */
      registryManagement: number;
    };
    /** JVM -Xmx per server, e.g. "768m". */
    heap: { kafka: string; namenode: string; datanode: string; registry: string };
    /** How long `stack up` waits for each server to become usable. */
    startTimeoutMs: number;
  };
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' };
}

/** Deep partial, for overrides from files, environment and flags. */
export type LakeConfigOverrides = {
  [K in keyof LakeConfig]?: LakeConfig[K] extends object ? DeepPartial<LakeConfig[K]> : LakeConfig[K];
};
type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};
