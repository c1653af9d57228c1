/**
 * A whole callscribe (CRM included) on a real loopback socket over a test database, with a
 * private-app token and a developer API key, for suites that drive it through HubSpot's client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { loadConfig } from '../../src/config.js';
import { type Callscribe, createCallscribe } from '../../src/main.js';
import { migrate } from '../../src/storage/db/index.js';
import type { TestDatabase } from './databases.js';

export interface CrmTestServer {
  system: Callscribe;
  url: string;
  accessToken: string;
  developerApiKey: string;
  /** The official client, only its base path changed. */
  client: Client;
  close(): Promise<void>;
}

export async function startCrmServer(
  target: TestDatabase,
  env: NodeJS.ProcessEnv = {},
): Promise<CrmTestServer> {
  const { db, drop } = await target.open();
  await migrate(db);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-crm-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', CALLSCRIBE_DATA_DIR: dataDir, ...env });
  const system = await createCallscribe(config, { db });
  const url = await system.app.listen({ port: 0, host: '127.0.0.1' });
  const accessToken = await system.tokens.create('private_app', 'test');
  const developerApiKey = await system.tokens.create('developer_api_key', 'test');
  return {
    system,
    url,
    accessToken,
    developerApiKey,
    client: new Client({ accessToken, developerApiKey, basePath: url }),
    async close() {
      await system.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
