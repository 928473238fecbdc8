import { Global, Module } from '@nestjs/common';
import { LakeClients } from './lake-clients';

/** Makes the dashboard's HDFS, registry and Kafka admin clients available to every module. */
@Global()
@Module({ providers: [LakeClients], exports: [LakeClients] })
export class LakeClientsModule {}
