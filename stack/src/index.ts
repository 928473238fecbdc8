export { StackError } from './errors';
export { findJava } from './java';
export type { JavaRuntime } from './java';
export { SERVERS, stackLayout } from './layout';
export type { ServerName, StackLayout } from './layout';
export { namenodeState } from './servers/hdfs';
export { STACK_SERVERS, stackDown, stackStatus, stackUp } from './stack';
export type { ServerStatus, StackOptions, StackUpResult } from './stack';
export { smokeRoundTrip } from './smoke';
export type { SmokeResult } from './smoke';
export {
  CLUSTER_NET,
  clusterRegistryDir,
  dataNodes,
  LocalCluster,
  listClusters,
  liveDataNodes,
  namespacesUnavailable,
  sweepOrphans,
} from './cluster';
export type {
  ClusterHost,
  ClusterOptions,
  ClusterPlan,
  ClusterService,
  ClusterState,
  DataNodeView,
} from './cluster';
export { isAlive, tailFile } from './process';
