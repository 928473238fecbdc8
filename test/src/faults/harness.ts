import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LakeConfig } from '@lakestream/config';
import { createRegistryCodec } from '@lakestream/contracts';
import { repoRoot, tempDir } from '@lakestream/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from '../etl/pipeline';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServiceProcessOptions {
  /** Consumers per process (`--concurrency`). */
  concurrency?: number;
  /** More configuration for the process's config file (merged over its HTTP port). */
  config?: Record<string, unknown>;
  /** More environment variables (e.g. LAKE_API_TOKEN, LAKE_HTTP_HOST). */
  env?: NodeJS.ProcessEnv;
}

/** `lake serve <service>` as its own process, on its own HTTP port, against the given stack. */
export class ServiceProcess {
  private child?: ChildProcess;
  output = '';
  readonly port: number;
  private readonly configFile: string;

  protected constructor(
    readonly service: 'etl' | 'trainer' | 'ingest' | 'predictor',
    private readonly config: LakeConfig,
    port: number,
    private readonly options: ServiceProcessOptions,
  ) {
    this.port = port;
    this.configFile = join(tempDir(), 'lake.config.json');
    writeFileSync(
      this.configFile,
      JSON.stringify({
        ...options.config,
        http: { ...(options.config?.http as object), ports: { [service]: port } },
      }),
    );
  }

  static async of(
    service: ServiceProcess['service'],
    config: LakeConfig,
    options: ServiceProcessOptions = {},
  ): Promise<ServiceProcess> {
    return new ServiceProcess(service, config, await freePort(), options);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code once the process has ended. */
  exited(): Promise<number | null> {
    if (!this.child) return Promise.resolve(null);
    if (!this.running) return Promise.resolve(this.child.exitCode);
    return once(this.child, 'exit').then(([code]) => code as number | null);
  }

  /** Starts the process without waiting for it. */
  spawn(): void {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot(), 'cli', 'bin', 'lake.js'),
        'serve',
        this.service,
        '--concurrency',
        String(this.options.concurrency ?? 1),
        '--config',
        this.configFile,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          LAKE_KAFKA_BROKERS: this.config.kafka.brokers.join(','),
          LAKE_HDFS_URL: this.config.hdfs.namenodeUrl,
          LAKE_REGISTRY_URL: this.config.registry.url,
          LAKE_ROOT: this.config.hdfs.lakeRoot,
          ...this.options.env,
        },
      },
    );
    this.child = child;
    const collect = (d: Buffer) => {
      this.output += d;
      if (this.output.length > 4 << 20) this.output = this.output.slice(-(2 << 20));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  /** Starts the process and waits until its health check says ready (or only live, while a dependency is down). */
  async start(timeoutMs = 60_000, until: 'ready' | 'live' = 'ready'): Promise<void> {
    this.spawn();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running)
        throw new Error(`the ${this.service} process exited during start-up:\n${this.output.slice(-4000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/health/${until}`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`the ${this.service} process is not ${until} after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child!, 'exit');
    this.child!.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call when not running. */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child!, 'exit');
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** `lake serve etl` as its own process (see ServiceProcess). */
export class EtlProcess extends ServiceProcess {
  static async create(
    config: LakeConfig,
    concurrency = 1,
    options: Omit<ServiceProcessOptions, 'concurrency'> = {},
  ): Promise<EtlProcess> {
    return new EtlProcess('etl', config, await freePort(), { ...options, concurrency });
  }
}

export interface TopicRecord {
  key: string;
  value: unknown;
  partition: number;
  offset: string;
  /** The record's bytes, for comparing content. */
  raw: Buffer;
}

/**
 * Every committed record of `topic` whose key starts with `keyPrefix`, as a fresh consumer
 * group reading from the beginning with read_committed sees it. Stops once every partition is
 * read up to the end offsets taken at the start (plus a quiet period for transaction markers).
 */
export async function readTopic(
  config: LakeConfig,
  topic: string,
  keyPrefix: string,
  options: { timeoutMs?: number; decode?: boolean } = {},
): Promise<TopicRecord[]> {
  const kafka = new Kafka({
    clientId: 'lake-faults-reader',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const codec = createRegistryCodec({ url: config.registry.url });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(p.partition, Number(p.high));
  } finally {
    await admin.disconnect();
  }
  const reached = new Map<number, number>();
  const done = () => [...ends].every(([p, high]) => high === 0 || (reached.get(p) ?? -1) + 1 >= high);
  const consumer = kafka.consumer({
    groupId: uniqueName('lake-faults-reader'),
    readUncommitted: false,
    sessionTimeout: 10_000,
    rebalanceTimeout: 5000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  const out: TopicRecord[] = [];
  let lastActivity = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        lastActivity = Date.now();
        for (const m of batch.messages) {
          const key = m.key?.toString() ?? '';
          reached.set(batch.partition, Math.max(reached.get(batch.partition) ?? -1, Number(m.offset)));
          if (!key.startsWith(keyPrefix)) continue;
          const raw = m.value ?? Buffer.alloc(0);
          out.push({
            key,
            value: options.decode === false ? raw : await codec.decode(raw, topic),
            partition: batch.partition,
            offset: m.offset,
            raw,
          });
        }
        // Transaction markers take offsets too: an empty fetch at the end moves the position past them.
        const last = Number(batch.lastOffset());
        if (Number.isFinite(last))
          reached.set(batch.partition, Math.max(reached.get(batch.partition) ?? -1, last));
      },
    });
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      if (done()) break;
      // Fetched at least once and quiet for 3 s: what is left are markers of aborted or committed transactions.
      if (lastActivity > 0 && Date.now() - lastActivity > 3000) break;
      if (Date.now() > deadline) throw new Error(`timed out reading ${topic}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await consumer.disconnect();
  }
  return out;
}
