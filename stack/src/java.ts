import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';

export interface JavaRuntime {
  bin: string;
  major: number;
}

/** The Java that runs the stack: $JAVA_HOME, else `java` on PATH; at least `minMajor`. */
export function findJava(minMajor = 17): JavaRuntime {
  const candidates = [process.env.JAVA_HOME && join(process.env.JAVA_HOME, 'bin', 'java'), 'java'].filter(
    Boolean,
  ) as string[];
  for (const bin of candidates) {
    const major = javaMajor(bin);
    if (major !== undefined && major >= minMajor) return { bin, major };
  }
  // A newer JDK installed beside the default one (e.g. /usr/lib/jvm/temurin-25-jdk-amd64) also serves.
  if (existsSync('/usr/lib/jvm')) {
    for (const dir of readdirSync('/usr/lib/jvm')) {
      const bin = join('/usr/lib/jvm', dir, 'bin', 'java');
      const major = existsSync(bin) ? javaMajor(bin) : undefined;
      if (major !== undefined && major >= minMajor) return { bin, major };
    }
  }
  throw new StackError(
    `Java ${minMajor} or newer was not found (looked at $JAVA_HOME and 'java' on PATH). ` +
      'Install a JDK (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME to one.',
  );
}

function javaMajor(bin: string): number | undefined {
  // `java -version` prints to stderr.
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  return r.error ? undefined : parseMajor(`${r.stderr}${r.stdout}`);
}

function parseMajor(text: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 ? Number(m[2]) : first;
}
