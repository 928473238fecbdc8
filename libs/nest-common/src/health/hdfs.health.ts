import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { LakeConfig } from '@lakestream/config';
import { errorMessage } from '@lakestream/core';
import { HEALTH_OPTIONS, LAKE_CONFIG } from '../tokens';
import type { HealthOptions } from './health-options';
import { elapsedMs, getJson } from './probe';

interface JmxBeans<T> {
  beans: T[];
}

/**
 * HDFS is ready when WebHDFS answers GETFILESTATUS on `/`, the NameNode is out of
 * safemode and at least one DataNode is live (otherwise every write would fail).
 */
@Injectable()
export class HdfsHealthIndicator {
  private readonly base: string;

  constructor(
    @Inject(LAKE_CONFIG) private readonly config: LakeConfig,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.base = config.hdfs.namenodeUrl.replace(/\/+$/, '');
  }

  async isHealthy<const K extends string>(key: K) {
    const session = this.indicators.check(key);
    const started = performance.now();
    const timeout = this.options.httpTimeoutMs;
    const user = encodeURIComponent(this.config.hdfs.user);
    try {
      const [status, info, state] = await Promise.all([
        getJson<{ FileStatus: { type: string } }>(
          `${this.base}/webhdfs/v1/?op=GETFILESTATUS&user.name=${user}`,
          timeout,
        ),
        getJson<JmxBeans<{ Safemode?: string }>>(
          `${this.base}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`,
          timeout,
        ),
        getJson<JmxBeans<{ NumLiveDataNodes?: number }>>(
          `${this.base}/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState`,
          timeout,
        ),
      ]);
      const safemode = info.beans[0]?.Safemode ?? '';
      const liveDataNodes = state.beans[0]?.NumLiveDataNodes ?? 0;
      const details = {
        url: this.base,
        latencyMs: elapsedMs(started),
        root: status.FileStatus?.type,
        safemode: safemode !== '',
        liveDataNodes,
      };
      if (safemode !== '') return session.down({ ...details, error: `NameNode in safemode: ${safemode}` });
      if (liveDataNodes < 1) return session.down({ ...details, error: 'no live DataNode' });
      return session.up(details);
    } catch (error) {
      return session.down({ url: this.base, latencyMs: elapsedMs(started), error: errorMessage(error) });
    }
  }
}
