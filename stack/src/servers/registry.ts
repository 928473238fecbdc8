import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from '../errors';
import type { ServerSpec } from './server';

/**
 * Apicurio Registry with its Confluent-compatible API. Schemas live in an H2 file
 * database, so schema ids stay valid across restarts (Kafka holds messages encoded with them).
 */
export const registryServer: ServerSpec = {
  name: 'registry',
  minJava: 21,
  artifact: 'registry',
  ports: (c) => [c.stack.ports.registry, c.stack.ports.registryManagement],
  endpoint: (c) => `http://${c.stack.host}:${c.stack.ports.registry}/apis/ccompat/v7`,
  prepare(_c, layout) {
    mkdirSync(layout.data.registry, { recursive: true });
  },
  args: (c, layout) => [
    '-Xms128m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dquarkus.http.host=${c.stack.host}`,
    `-Dquarkus.http.port=${c.stack.ports.registry}`,
    // Its management interface defaults to port 9000 on every address: keep it beside the API.
    `-Dquarkus.management.host=${c.stack.host}`,
    `-Dquarkus.management.port=${c.stack.ports.registryManagement}`,
    `-Dapicurio.datasource.url=jdbc:h2:file:${join(layout.data.registry, 'registry')};DB_CLOSE_ON_EXIT=FALSE`,
    '-Dapicurio.datasource.jdbc.initial-size=2',
    '-Dapicurio.datasource.jdbc.min-size=2',
    '-Dapicurio.datasource.jdbc.max-size=20',
    '-Dquarkus.log.console.json=false',
    `-Dapicurio.storage.snapshot.location=${layout.data.registry}`,
    '-jar',
    join(layout.lib.registry, 'quarkus-run.jar'),
  ],
  async probe(c) {
    const url = `http://${c.stack.host}:${c.stack.ports.registry}/apis/ccompat/v7/subjects`;
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch((error: Error) => {
      throw new StackError(`registry not answering: ${error.message}`, 'registry');
    });
    if (!res.ok) throw new StackError(`registry answered ${res.status} at ${url}`, 'registry');
    return 'answering /subjects';
  },
};
