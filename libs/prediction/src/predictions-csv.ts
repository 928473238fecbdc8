import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ParquetReader } from '@lakestream/columnar';
import type { HdfsClient } from '@lakestream/hdfs';
import type { Table } from 'apache-arrow';
import { PredictionInputError } from './errors';

/** A CSV field: numbers and booleans as JS prints them, bigint ids exact, strings quoted when needed. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  return String(v);
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function rowsAsCsv(table: Table, names: string[]): string {
  const columns = names.map((n) => table.getChild(n)!);
  const lines: string[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) lines[i] = columns.map((c) => field(c.get(i))).join(',');
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * Streams a batch's predictions (every part-*.parquet of `dir`, in order) to `out` as CSV,
 * one row group at a time: memory is that of one row group whatever the batch's size.
 */
export async function exportPredictionsCsv(
  hdfs: HdfsClient,
  dir: string,
  out: Writable,
): Promise<{ rows: number; files: number }> {
  const parts = (await hdfs.list(dir))
    .filter((e) => e.type === 'FILE' && /^part-\d+\.parquet$/.test(e.name))
    .map((e) => e.name)
    .sort();
  if (parts.length === 0) throw new PredictionInputError(dir, 'no prediction files (part-*.parquet) here');
  let header: string[] | undefined;
  let rows = 0;
  for (const name of parts) {
    const reader = await ParquetReader.open(hdfs.source(`${dir}/${name}`));
    const fields = reader.footer.fields;
    if (!header) {
      header = fields;
      await write(out, `${header.map(field).join(',')}\n`);
    } else if (fields.join(',') !== header.join(','))
      throw new PredictionInputError(
        `${dir}/${name}`,
        `columns ${fields.join(',')} differ from ${header.join(',')}`,
      );
    for await (const { table } of reader.rowGroups()) {
      await write(out, rowsAsCsv(table, header));
      rows += table.numRows;
    }
    await reader.close();
  }
  return { rows, files: parts.length };
}
