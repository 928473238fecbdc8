import type { Resolver, Type } from 'avsc';
import {
  RegistryRequestError,
  SchemaMismatchError,
  UndecodableMessageError,
  UnknownTopicError,
} from './errors';
import type { RecordName } from './generated/types';
import {
  type Compatibility,
  RegistryClient,
  type RegistryClientOptions,
  SCHEMA_NOT_FOUND,
} from './registry-client';
import { type ContractSchema, loadSchemas, parseSchema } from './schemas';
import { dlqTopic, LAKE_TOPICS, recordOfTopic, type ValueOf, valueSubject } from './topics';
import { findMismatch, toPlain } from './validate';

/** Turns message values into bytes and back; what the Kafka runner (libs/kafka) accepts. */
export interface MessageCodec {
  encode(topic: string, value: unknown): Promise<Buffer>;
  decode(payload: Buffer, topic?: string): Promise<unknown>;
}

export interface RegistryCodecOptions extends RegistryClientOptions {
  /** Read the schemas from this folder's .avsc files instead of the copies built into the package. */
  schemasDir?: string;
  /** Set on every subject the codec registers. Default BACKWARD. */
  compatibility?: Compatibility;
  /** Extra topic → record bindings (beyond the lake topics and their `.dlq` topics). */
  topics?: Readonly<Record<string, RecordName>>;
}

const MAGIC = 0;
const HEADER_BYTES = 5;

/**
 * Avro values in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro
 * binary), with schemas registered per topic (subject `<topic>-value`) at the configured
 * compatibility. Values are checked against their schema before anything is sent; decoding
 * reads the writer's schema by id and resolves it to the topic's schema when a topic is given.
 * Schema ids, writer schemas and resolvers are cached for the codec's lifetime.
 */
export class RegistryCodec implements MessageCodec {
  readonly client: RegistryClient;
  private readonly contracts: Map<RecordName, ContractSchema>;
  private readonly bindings = new Map<string, RecordName>();
  private readonly compatibility: Compatibility;
  private readonly ids = new Map<string, Promise<number>>();
  private readonly writers = new Map<number, Promise<Type>>();
  private readonly resolvers = new Map<string, Resolver | null>();

  constructor(options: RegistryCodecOptions) {
    this.client = new RegistryClient(options);
    this.contracts = loadSchemas(options.schemasDir);
    this.compatibility = options.compatibility ?? 'BACKWARD';
    for (const [topic, record] of Object.entries(options.topics ?? {})) this.bind(topic, record);
  }

  /** Binds another topic to one of the contracts (e.g. a test topic). */
  bind(topic: string, record: RecordName): void {
    if (!this.contracts.has(record)) throw new UnknownTopicError(topic);
    this.bindings.set(topic, record);
  }

  /** The contract of a topic's values. */
  contractOf(topic: string): ContractSchema {
    const record = this.bindings.get(topic) ?? recordOfTopic(topic);
    const contract = record === undefined ? undefined : this.contracts.get(record);
    if (!contract) throw new UnknownTopicError(topic);
    return contract;
  }

  /**
   * Sets the compatibility of `<topic>-value` and registers the topic's schema there (both
   * idempotent); returns the schema id. Cached: the registry is asked once per topic.
   */
  register(topic: string): Promise<number> {
    const contract = this.contractOf(topic);
    const subject = valueSubject(topic);
    let id = this.ids.get(subject);
    if (!id) {
      id = (async () => {
        await this.client.setCompatibility(subject, this.compatibility);
        const registered = await this.client.register(subject, contract.text);
        if (!this.writers.has(registered)) this.writers.set(registered, Promise.resolve(contract.type));
        return registered;
      })();
      this.ids.set(subject, id);
      id.catch(() => this.ids.delete(subject));
    }
    return id;
  }

  /** Registers every lake topic, its dead-letter topic and every extra binding; ids by topic. */
  async registerAll(): Promise<Map<string, number>> {
    const topics = [...LAKE_TOPICS.flatMap((t) => [t, dlqTopic(t)]), ...this.bindings.keys()];
    const ids = await Promise.all(topics.map((t) => this.register(t)));
    return new Map(topics.map((t, i) => [t, ids[i]]));
  }

  /** Throws SchemaMismatchError naming the first bad field when `value` does not fit the topic's schema. */
  validate(topic: string, value: unknown): void {
    const { type } = this.contractOf(topic);
    const mismatch = findMismatch(type, value);
    if (mismatch) throw new SchemaMismatchError(topic, mismatch.field, mismatch.value, mismatch.expected);
  }

  /** Validates, registers (once) and encodes `value` for `topic`. */
  async encode<T extends string>(topic: T, value: ValueOf<T>): Promise<Buffer> {
    const { type, record } = this.contractOf(topic);
    this.validate(topic, value);
    const id = await this.register(topic);
    let body: Buffer;
    try {
      body = type.toBuffer(value);
    } catch (error) {
      throw new SchemaMismatchError(
        topic,
        record,
        value,
        `a value avsc can encode (${(error as Error).message})`,
      );
    }
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(MAGIC, 0);
    header.writeUInt32BE(id, 1);
    return Buffer.concat([header, body]);
  }

  /**
   * Decodes a Confluent-framed Avro payload. With a topic bound to a contract the value is read
   * as that contract (resolving from the writer's schema: fields added later with defaults
   * appear); without one, as the writer wrote it. Returns plain objects.
   */
  async decode<T extends string = string>(payload: Buffer, topic?: T): Promise<ValueOf<T>> {
    if (!Buffer.isBuffer(payload) || payload.length < HEADER_BYTES)
      throw new UndecodableMessageError(
        `payload of ${payload?.length ?? 0} bytes is shorter than the 5-byte header`,
      );
    if (payload[0] !== MAGIC)
      throw new UndecodableMessageError(
        `magic byte ${payload[0]} is not ${MAGIC} (not Confluent-framed Avro)`,
      );
    const id = payload.readUInt32BE(1);
    const writer = await this.writerType(id);
    const contract = topic === undefined ? undefined : this.contractOrUndefined(topic);
    const reader = contract?.type ?? writer;
    const resolver = contract ? this.resolver(id, writer, contract) : null;
    try {
      const value = resolver
        ? reader.fromBuffer(payload.subarray(HEADER_BYTES), resolver)
        : reader.fromBuffer(payload.subarray(HEADER_BYTES));
      return toPlain(value) as ValueOf<T>;
    } catch (error) {
      throw new UndecodableMessageError(
        `bytes after the header are not Avro of schema id ${id} (${writer.name}): ${(error as Error).message}`,
        id,
        error,
      );
    }
  }

  private contractOrUndefined(topic: string): ContractSchema | undefined {
    try {
      return this.contractOf(topic);
    } catch {
      return undefined;
    }
  }

  private writerType(id: number): Promise<Type> {
    let writer = this.writers.get(id);
    if (!writer) {
      writer = this.client.schemaById(id).then(
        (text) => {
          try {
            return parseSchema(text);
          } catch (error) {
            throw new UndecodableMessageError(`schema id ${id} is not a usable Avro schema`, id, error);
          }
        },
        (error: unknown) => {
          if (
            error instanceof RegistryRequestError &&
            (error.errorCode === SCHEMA_NOT_FOUND || error.status === 404)
          )
            throw new UndecodableMessageError(`schema id ${id} is unknown to the registry`, id, error);
          throw error; // an outage stays retriable
        },
      );
      this.writers.set(id, writer);
      // Only outages are forgotten: an unknown id stays unknown for this codec.
      writer.catch((error: unknown) => {
        if (!(error instanceof UndecodableMessageError)) this.writers.delete(id);
      });
    }
    return writer;
  }

  private resolver(id: number, writer: Type, contract: ContractSchema): Resolver | null {
    const key = `${id}:${contract.record}`;
    if (this.resolvers.has(key)) return this.resolvers.get(key)!;
    let resolver: Resolver | null = null;
    if (!contract.type.equals(writer)) {
      try {
        resolver = contract.type.createResolver(writer);
      } catch (error) {
        throw new UndecodableMessageError(
          `schema id ${id} (${writer.name}) cannot be read as ${contract.record}: ${(error as Error).message}`,
          id,
          error,
        );
      }
    }
    this.resolvers.set(key, resolver);
    return resolver;
  }
}

/** A codec on the registry at `options.url`; nothing is contacted until the first register/encode/decode. */
export function createRegistryCodec(options: RegistryCodecOptions): RegistryCodec {
  return new RegistryCodec(options);
}
