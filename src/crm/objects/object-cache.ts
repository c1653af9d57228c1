/**
 * A bounded in-process cache of records by id, so a `GET /crm/v3/objects/calls/{id}` does not
 * pay a database round trip each time. It is only enabled where every change is seen:
 * - PGlite: one process owns the database (decision 0001), and every write goes through the
 *   stores of this process, which update the cache after commit;
 * - PostgreSQL: a trigger NOTIFYs each committed change (migration 002) and a LISTEN connection
 *   drops the copy; while that connection is down the cache is off.
 * A generation counter keeps a read that raced with a write from caching what it read.
 */
import pg from 'pg';
import type { Database } from '../../storage/db/index.js';
import type { ObjectRow } from './object-rows.js';

export interface ObjectCache {
  readonly enabled: boolean;
  /** A cached live-or-archived row, or undefined. */
  get(id: number): ObjectRow | undefined;
  /** Call before reading from the database; pass the result to {@link remember}. */
  begin(): number;
  /** Caches a row read from the database unless a change happened since `begin`. */
  remember(token: number, row: ObjectRow): void;
  /** After a committed write in this process: cache the new rows. */
  written(rows: readonly ObjectRow[]): void;
  /** A record changed somewhere: forget it. */
  invalidate(id: number): void;
  close(): Promise<void>;
}

const MAX_ENTRIES = 10_000;

class BoundedCache implements ObjectCache {
  enabled: boolean;
  #rows = new Map<number, ObjectRow>();
  #generation = 0;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }
  get(id: number) {
    if (!this.enabled) return undefined;
    const row = this.#rows.get(id);
    if (row) {
      // Refresh its place in the eviction order.
      this.#rows.delete(id);
      this.#rows.set(id, row);
    }
    return row;
  }
  begin() {
    return this.#generation;
  }
  #put(row: ObjectRow) {
    this.#rows.delete(row.id);
    this.#rows.set(row.id, row);
    if (this.#rows.size > MAX_ENTRIES) this.#rows.delete(this.#rows.keys().next().value!);
  }
  remember(token: number, row: ObjectRow) {
    if (this.enabled && token === this.#generation) this.#put(row);
  }
  written(rows: readonly ObjectRow[]) {
    this.#generation++;
    for (const row of rows) {
      if (this.enabled) this.#put(row);
      else this.#rows.delete(row.id);
    }
  }
  invalidate(id: number) {
    this.#generation++;
    this.#rows.delete(id);
  }
  /** Turns the cache on or off; either way nothing cached before survives. */
  setEnabled(enabled: boolean) {
    this.#generation++;
    this.#rows.clear();
    this.enabled = enabled;
  }
  async close() {
    this.setEnabled(false);
  }
}

export interface ObjectCacheOptions {
  /** PostgreSQL only: the server to LISTEN on. Without it the cache stays off on PostgreSQL. */
  databaseUrl?: string;
  /** Where LISTEN failures are reported (the cache turns itself off meanwhile). */
  onError?: (error: unknown) => void;
}

/** The cache fitting this database: always on for PGlite, LISTEN-driven for PostgreSQL. */
export function createObjectCache(db: Database, options: ObjectCacheOptions = {}): ObjectCache {
  if (db.kind === 'pglite') return new BoundedCache(true);
  const cache = new BoundedCache(false);
  const url = options.databaseUrl;
  if (!url) return cache;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    try {
      const [{ schema } = { schema: 'public' }] = await db.query<{ schema: string }>(
        'SELECT current_schema() AS schema',
      );
      const c = new pg.Client({ connectionString: url });
      client = c;
      c.on('notification', (msg) => {
        const [s, id] = (msg.payload ?? '').split(':');
        if (s === schema && id) cache.invalidate(Number(id));
      });
      c.on('error', (error) => lost(error));
      c.on('end', () => lost(new Error('LISTEN connection ended')));
      await c.connect();
      await c.query('LISTEN crm_objects_changed');
      if (closed) await c.end();
      else cache.setEnabled(true);
    } catch (error) {
      lost(error);
    }
  };
  const lost = (error: unknown) => {
    cache.setEnabled(false);
    if (closed) return;
    options.onError?.(error);
    const dead = client;
    client = undefined;
    dead?.removeAllListeners();
    dead?.end().catch(() => undefined);
    retry ??= setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
  };
  void connect();
  return Object.assign(cache, {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      cache.setEnabled(false);
      const c = client;
      client = undefined;
      c?.removeAllListeners();
      await c?.end().catch(() => undefined);
    },
  });
}
