import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from './machine';

export const resultsDir = (): string => join(__dirname, '..', 'results');

/** Writes bench/results/<YYYY-MM-DD>-<name>.json with the machine it ran on; returns the path. */
export function writeResult(name: string, data: unknown, versions: Record<string, string> = {}): string {
  mkdirSync(resultsDir(), { recursive: true });
  const file = join(resultsDir(), `${new Date().toISOString().slice(0, 10)}-${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, measuredAt: new Date().toISOString(), machine: machineInfo(versions), ...(data as object) }, null, 2)}\n`,
  );
  return file;
}

/** Median and spread (min..max) of repeated measurements. */
export function summarise(samples: number[]): { median: number; min: number; max: number; runs: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}
