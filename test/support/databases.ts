/**
 * The databases every database-backed suite runs on: PGlite in process, and the PostgreSQL server
 * on this machine with a fresh schema per test file (dropped afterwards), so runs never share data.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/storage/db/index.js';
import { createPgliteDatabase } from '../../src/storage/db/pglite-database.js';
import { createPostgresDatabase } from '../../src/storage/db/postgres-database.js';

export const TEST_POSTGRES_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Opens an empty, unmigrated database of this kind; `drop()` removes it. */
  open(): Promise<{ db: Database; drop(): Promise<void> }>;
}

export const TEST_DATABASES: readonly TestDatabase[] = [
  {
    name: 'pglite',
    async open() {
      const db = await createPgliteDatabase();
      return { db, drop: () => db.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = await createPostgresDatabase({ connectionString: TEST_POSTGRES_URL, max: 1 });
      await admin.exec(`CREATE SCHEMA ${schema}`);
      const db = await createPostgresDatabase({ connectionString: TEST_POSTGRES_URL, schema });
      return {
        db,
        async drop() {
          await db.close();
          await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
];
