import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '@lakestream/core';
import { Type } from 'avsc';
import { SchemaMismatchError } from './errors';
import { SCHEMAS } from './generated/schemas';
import { RECORD_NAMES, type RecordName } from './generated/types';
import { findMismatch } from './validate';

/** One contract: the schema as written in schemas/<record>.avsc, its registry text and its avsc type. */
export interface ContractSchema {
  record: RecordName;
  schema: object;
  /** What is registered: the .avsc JSON, compact. */
  text: string;
  type: Type;
}

/** How every schema is parsed: unions of null and one type stay unwrapped (`T | null`). */
export function parseSchema(schema: object | string): Type {
  return Type.forSchema(typeof schema === 'string' ? JSON.parse(schema) : schema, { wrapUnions: false });
}

/**
 * The contracts by record name: the copies embedded at generation time, or the .avsc files of
 * `schemasDir` when given (a missing file is an error).
 */
export function loadSchemas(schemasDir?: string): Map<RecordName, ContractSchema> {
  const out = new Map<RecordName, ContractSchema>();
  for (const record of RECORD_NAMES) {
    let schema: object = SCHEMAS[record];
    if (schemasDir !== undefined) {
      const file = join(schemasDir, `${record}.avsc`);
      try {
        schema = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new InvalidInputError(
          `cannot read the schema ${file}: ${(error as Error).message}`,
          'schemasDir',
        );
      }
    }
    out.set(record, { record, schema, text: JSON.stringify(schema), type: parseSchema(schema) });
  }
  return out;
}

let embedded: Map<RecordName, ContractSchema> | undefined;

/**
 * Throws SchemaMismatchError when `value` is not a valid `record` (the built-in schemas), without
 * a registry: for values kept elsewhere than Kafka (e.g. a partial's JSON file beside a report).
 */
export function validateRecord<R extends RecordName>(
  record: R,
  value: unknown,
  where = record as string,
): void {
  embedded ??= loadSchemas();
  const mismatch = findMismatch(embedded.get(record)!.type, value);
  if (mismatch) throw new SchemaMismatchError(where, mismatch.field, mismatch.value, mismatch.expected);
}
