import type { HdfsClient } from '@lakestream/hdfs';
import type { LakePaths } from '@lakestream/core';

/** Removes a test's model and the state of its jobs (`_jobs/<prefix>…`). */
export async function removeModelAndJobs(
  clients: { hdfs: HdfsClient; paths: LakePaths },
  model: string,
  jobPrefix: string,
): Promise<void> {
  const models = `${clients.paths.root}/models`;
  await clients.hdfs.delete(`${models}/${model}`, { recursive: true }).catch(() => false);
  const jobs = await clients.hdfs.list(`${models}/_jobs`).catch(() => []);
  for (const j of jobs)
    if (j.name.startsWith(jobPrefix))
      await clients.hdfs.delete(`${models}/_jobs/${j.name}`, { recursive: true }).catch(() => false);
}
