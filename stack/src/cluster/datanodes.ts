/** A DataNode as the NameNode sees it. */
export interface DataNodeView {
  address: string;
  /** Seconds since its last heartbeat (a node cut off stays listed as live for 40 s). */
  lastContactSeconds: number;
}

/** The DataNodes the NameNode lists as live, from its JMX bean (keys are `address:transferPort`). */
export async function dataNodes(namenodeUrl: string): Promise<DataNodeView[]> {
  const url = `${namenodeUrl}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const bean = ((await res.json()) as { beans: { LiveNodes?: string }[] }).beans[0];
  const live = JSON.parse(bean?.LiveNodes ?? '{}') as Record<string, { lastContact: number }>;
  return Object.entries(live).map(([key, node]) => ({
    address: key.replace(/:\d+$/, ''),
    lastContactSeconds: node.lastContact,
  }));
}

/** Addresses of the DataNodes heartbeating now (heard from within the last 3 s; they beat every second). */
export async function liveDataNodes(namenodeUrl: string): Promise<string[]> {
  return (await dataNodes(namenodeUrl)).filter((d) => d.lastContactSeconds <= 3).map((d) => d.address);
}
