/** The contract every Database adapter must keep. Called once per adapter by its test file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/db/index.js';
import { migrate } from '../../src/storage/db/index.js';
import { MIGRATIONS } from '../../src/storage/db/migrations/index.js';
import type { TestDatabase } from '../support/databases.js';

export function runDatabaseContract(target: TestDatabase): void {
  describe(`Database contract: ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    beforeEach(async () => {
      ({ db, drop } = await target.open());
    });
    afterEach(async () => drop());

    it('reports its kind', () => {
      expect(db.kind).toBe(target.name);
    });

    it('round-trips parameters and returns int8 as numbers, timestamps as Dates', async () => {
      const [row] = await db.query<{ n: number; t: string; d: Date; j: unknown }>(
        'SELECT $1::bigint AS n, $2::text AS t, now() AS d, $3::jsonb AS j',
        [41000001, 'hi', JSON.stringify({ a: [1] })],
      );
      expect(row).toEqual({ n: 41000001, t: 'hi', d: expect.any(Date), j: { a: [1] } });
    });

    it('applies all migrations once; a second run applies none', async () => {
      expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    });

    it('a failed migration leaves no partial schema and no bookkeeping row', async () => {
      await migrate(db);
      const broken = {
        id: 9999,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id int); INSERT INTO half_done VALUES (1); SELECT * FROM no_such_table;',
      };
      await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_table/);
      const tables = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
      expect(tables).toEqual([]);
      expect(await db.query('SELECT 1 FROM schema_migrations WHERE id = 9999')).toEqual([]);
    });

    it('a write that crashes midway inside a transaction leaves nothing behind', async () => {
      await migrate(db);
      await expect(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO owners (email, seat) VALUES ('one@example.com', 'sales')");
          await tx.query("INSERT INTO owners (email, seat) VALUES ('two@example.com', 'not-a-seat')");
        }),
      ).rejects.toThrow();
      expect(await db.query('SELECT email FROM owners')).toEqual([]);
    });

    it('a transaction that succeeds commits every write', async () => {
      await migrate(db);
      const value = await db.transaction(async (tx) => {
        await tx.query("INSERT INTO owners (email) VALUES ('a@example.com')");
        await tx.query("INSERT INTO owners (email) VALUES ('b@example.com')");
        return 'ok';
      });
      expect(value).toBe('ok');
      expect((await db.query('SELECT email FROM owners ORDER BY id')).map((r) => r['email'])).toEqual([
        'a@example.com',
        'b@example.com',
      ]);
    });

    it('an error thrown by application code (not SQL) also rolls back', async () => {
      await migrate(db);
      await expect(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO owners (email) VALUES ('c@example.com')");
          throw new Error('process crashed here');
        }),
      ).rejects.toThrow('process crashed here');
      expect(await db.query('SELECT 1 FROM owners')).toEqual([]);
    });
  });
}
