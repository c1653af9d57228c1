/** The storage/db folder's public face: pick an adapter from config, migrate, hand it out. */

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from './database.js';
import { migrate } from './migrate.js';

export type { Database, Queryable } from './database.js';
export { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL only: the schema to use (created if missing). */
  schema?: string;
}

/** Opens PostgreSQL when `databaseUrl` is set, otherwise PGlite in `dataDir/pglite`; then migrates. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    const { createPostgresDatabase } = await import('./postgres-database.js');
    if (options.schema) {
      const admin = await createPostgresDatabase({ connectionString: options.databaseUrl, max: 1 });
      await admin.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await admin.close();
    }
    db = await createPostgresDatabase({ connectionString: options.databaseUrl, schema: options.schema });
  } else {
    const { createPgliteDatabase } = await import('./pglite-database.js');
    const dir = path.join(options.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    db = await createPgliteDatabase({ dataDir: dir });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
