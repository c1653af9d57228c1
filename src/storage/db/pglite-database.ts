import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';

export interface PgliteDatabaseOptions {
  /** A directory to persist to; omit for an in-memory database. */
  dataDir?: string;
}

/** The embedded default: PostgreSQL in WebAssembly, in this process, stored in the data dir. */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const pg = await PGlite.create(options.dataDir, {
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}
