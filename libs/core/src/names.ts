import { InvalidInputError } from './errors';

/** Dataset, model and batch names: they become HDFS path segments, so nothing else passes. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export type NameKind = 'dataset' | 'model' | 'batch' | 'alias';

export function assertName(kind: NameKind, value: unknown): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw new InvalidInputError(
      `invalid ${kind} name ${JSON.stringify(value)}: expected 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit`,
      kind,
    );
  }
  return value;
}

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}
