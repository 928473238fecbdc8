import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  /**
   * Peak resident memory (VmHWM, MB) of each stack server running here (Kafka, NameNode,
   * DataNode, registry; their JVMs are marked -Dlake.stack=<name>@…): since the server started,
   * so it covers this benchmark and whatever ran before it on the same stack.
   */
  stackPeakRssMB: Record<string, number>;
}

function stackPeakRss(): Record<string, number> {
  const out: Record<string, number> = {};
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out; // not Linux
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const name = /-Dlake\.stack=([a-z]+)@/.exec(cmd)?.[1];
      if (!name) continue;
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (hwm) out[name] = Math.max(out[name] ?? 0, Math.round(Number(hwm) / 1024));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
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
    stackPeakRssMB: stackPeakRss(),
  };
}
