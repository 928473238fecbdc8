import { tableFromColumns } from '@lakestream/columnar';
import type { PartitionColumns } from '@lakestream/dataset';
import type { Table } from 'apache-arrow';
/** The raw table's columns as Arrow prints their types: part of every BatchManifest. */
export const RAW_COLUMNS = [
  { name: 'id', type: 'int64', nullable: false },
  { name: 'name', type: 'dictionary<values=utf8, indices=int32>', nullable: true },
  { name: 'age', type: 'int32', nullable: true },
  { name: 'salary', type: 'float64', nullable: true },
  { name: 'signup_date', type: 'timestamp[us]', nullable: true },
  { name: 'is_active', type: 'bool', nullable: true },
] as const;

/**
 * A generated partition as the raw Arrow table, in the study's schema: timestamps in
 * microseconds without a time zone (as pandas wrote them), names dictionary-encoded.
 */
export function partitionToArrow(c: PartitionColumns): Table {
  const v = c.validity;
  return tableFromColumns({
    id: { kind: 'int64', values: c.id },
    name: { kind: 'dictionary', codes: c.nameIndex, dictionary: c.names, valid: v.name },
    age: { kind: 'int32', values: c.age, valid: v.age },
    salary: { kind: 'float64', values: c.salary, valid: v.salary },
    signup_date: { kind: 'timestamp', unit: 'us', values: c.signupDate, valid: v.signupDate },
    is_active: { kind: 'bool', values: c.isActive },
  });
}
