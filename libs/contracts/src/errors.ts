import { LakeError } from '@lakestream/core';

/** Anything that went wrong encoding, decoding or registering a message contract. */
export class ContractError extends LakeError {}

/**
 * A value that does not match its topic's schema: a bug in the producer, never worth a retry.
 * `field` is the path of the first bad field, e.g. `ChunkDescriptor.lineage[0].checksum`.
 */
export class SchemaMismatchError extends ContractError {
  constructor(
    readonly topic: string,
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${topic}: ${field}: expected ${expected}, got ${describeValue(value)}`, { retriable: false });
  }
}

/**
 * A payload that cannot be decoded: wrong magic byte, too short, a schema id the registry does
 * not know, bytes that are not Avro of that schema, or a schema that cannot be read as the
 * topic's. Not retriable: the message goes to the dead-letter topic.
 */
export class UndecodableMessageError extends ContractError {
  constructor(
    readonly reason: string,
    readonly schemaId?: number,
    cause?: unknown,
  ) {
    super(`undecodable message: ${reason}`, { retriable: false, cause });
  }
}

/** The registry cannot be reached, timed out or answered 5xx/429: pause and try again. */
export class RegistryUnavailableError extends ContractError {
  constructor(
    message: string,
    readonly url: string,
    cause?: unknown,
  ) {
    super(message, { retriable: true, cause });
  }
}

/** The registry answered and refused the request (bad schema, unknown subject, …). */
export class RegistryRequestError extends ContractError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | undefined,
    readonly url: string,
  ) {
    super(message, { retriable: false });
  }
}

/** The registry refused a new schema version as incompatible with the subject's earlier ones. */
export class IncompatibleSchemaError extends RegistryRequestError {
  constructor(
    readonly subject: string,
    detail: string,
    status: number,
    errorCode: number | undefined,
    url: string,
  ) {
    super(
      `schema for ${subject} is incompatible with its registered versions: ${detail}`,
      status,
      errorCode,
      url,
    );
  }
}

/** A topic the codec has no schema for. */
export class UnknownTopicError extends ContractError {
  constructor(readonly topic: string) {
    super(`no schema is bound to topic ${JSON.stringify(topic)}`, { retriable: false });
  }
}

/** A short, safe rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Buffer.isBuffer(value)) return `Buffer(${value.length})`;
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value))
    return `${value} (beyond 2^53)`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
