import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when measured: other work on a shared machine skews figures. */
  loadAverage: number;
  versions: Record<string, string>;
}

/** What a result was measured on, written into every results file. */
export function machineInfo(extra: Record<string, string> = {}): MachineInfo {
  const versions: Record<string, string> = { ...extra };
  try {
    versions.java =
      execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() ||
      'see stderr';
  } catch {
    // java is optional for pure benchmarks
  }
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: require('node:os').loadavg()[0],
    versions,
  };
}
