import { LakeError } from '@lakestream/core';

/**
 * Input the ETL cannot accept: a missing column, a wrong type, an unreadable value. Never
 * retriable: the message goes to the DLQ with this text, naming the file and the column.
 */
export class EtlInputError extends LakeError {
  constructor(
    readonly file: string,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}${column ? `, column ${column}` : ''}: ${reason}`, { retriable: false });
  }
}
