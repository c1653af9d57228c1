/**
 * The database port. Both adapters speak PostgreSQL's own dialect (PGlite is PostgreSQL compiled
 * to WebAssembly), so every query in callscribe is written once, with `$1` placeholders.
 */

/** Something that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement and returns its rows. Throws the driver's error (with `code`) on failure. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** `pglite` (embedded, one process) or `postgres` (a server shared by many processes). */
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` inside one transaction. If `fn` throws, everything it wrote is rolled back and the
   * error is re-thrown; nothing half-written is ever visible to other queries.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes connections; pending queries finish first. */
  close(): Promise<void>;
}

/** int8 columns come back as JS numbers on both adapters (ids stay well below 2^53). */
export const INT8_OID = 20;
