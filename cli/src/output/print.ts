import { LakeError } from '@lakestream/core';

const tty = process.stdout.isTTY === true;
const paint = (code: number) => (s: string) => (tty ? `\u001b[${code}m${s}\u001b[0m` : s);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);

/** A plain-text table: columns padded to their widest cell. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (c ?? '').padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [bold(line(headers)), ...cells.slice(1).map(line)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One clear message for errors we expect (with the server log's end when there is one); a stack trace otherwise. */
export function printError(error: unknown): void {
  if (error instanceof LakeError) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    const tail = (error as { logTail?: string }).logTail;
    if (tail) process.stderr.write(`${dim('--- end of log ---')}\n${tail}\n`);
  } else {
    process.stderr.write(
      `${red('unexpected error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}
