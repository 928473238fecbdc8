export { type ClusterOptions, LocalCluster, sweepOrphans } from './cluster';
export { type DataNodeView, dataNodes, liveDataNodes } from './datanodes';
export { namespacesUnavailable } from './ip';
export { CLUSTER_NET, type ClusterHost, type ClusterPlan, clusterRegistryDir } from './plan';
export { type ClusterService, type ClusterState, listClusters } from './state';
