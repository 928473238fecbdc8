import type { LakeConfig } from '@lakestream/config';
import type { JavaRuntime } from '../java';
import type { ServerName, StackLayout } from '../layout';

/** What the stack needs to know to run one server. */
export interface ServerSpec {
  name: ServerName;
  artifact: 'kafka' | 'hdfs' | 'registry';
  /** Oldest Java major version the server runs on. */
  minJava: number;
  /** host:port pairs the server binds; checked free before a start. */
  ports(config: LakeConfig): number[];
  /** Writes configuration and formats storage on first start. */
  prepare(config: LakeConfig, layout: StackLayout, java: JavaRuntime): void;
  /** The JVM arguments (marker and heap are added by the caller). */
  args(config: LakeConfig, layout: StackLayout): string[];
  /** Resolves with a short description when usable; throws (retriable) while not yet. */
  probe(config: LakeConfig): Promise<string>;
  /** What a user sees as the address. */
  endpoint(config: LakeConfig): string;
}
