import { listNames } from './arrow-in';
import { type EmployeeField, REQUIRED_FIELDS } from './employees';
import { EtlInputError } from './errors';

/**
 * The columns to read of a raw file whose top-level fields are `fields`: the six the ETL uses,
 * so a file with thousands of extra columns costs no more than one without them. A file
 * lacking any of them is refused before anything is decoded, naming what is missing.
 */
export function rawColumnsToRead(file: string, fields: readonly string[]): EmployeeField[] {
  const present = new Set(fields);
  const missing = REQUIRED_FIELDS.filter((f) => !present.has(f));
  if (missing.length === 1)
    throw new EtlInputError(file, missing[0], `missing required column (found: ${listNames(fields)})`);
  if (missing.length > 1)
    throw new EtlInputError(
      file,
      undefined,
      `missing required columns ${missing.join(', ')} (found: ${listNames(fields)})`,
    );
  return [...REQUIRED_FIELDS];
}
