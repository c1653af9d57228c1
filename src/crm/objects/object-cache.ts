/**
 * A bounded in-process cache of records by id, so a `GET /crm/v3/objects/calls/{id}` does not
 * pay a database round trip each time. It is only enabled where every change is seen:
 * - PGlite: one process owns the database (decision 0001), and every write goes through the
 *   stores of this process, which update the cache after commit;
 * - PostgreSQL: after each committed write the stores NOTIFY `crm_objects_changed` with the ids,
 *   and a LISTEN connection in every process drops those copies; while that connection is down
 *   the cache is off. (The NOTIFY is sent after commit, not by a trigger inside the write: a
 *   notifying transaction holds PostgreSQL's notify lock through its commit flush, which cut
 *   concurrent creates to a quarter.)
 * A generation counter keeps a read that raced with a write from caching what it read.
 */
import pg from 'pg';
import type { Database } from '../../storage/db/index.js';
import type { ObjectRow } from './object-rows.js';

export const CHANGE_CHANNEL = 'crm_objects_changed';

export interface ObjectCache {
  readonly enabled: boolean;
  /** A cached live-or-archived row, or undefined. */
  get(id: number): ObjectRow | undefined;
  /** Call before reading from the database; pass the result to {@link remember}. */
  begin(): number;
  /** Caches a row read from the database unless a change happened since `begin`. */
  remember(token: number, row: ObjectRow): void;
  /** After this process committed writes: cache the new rows and tell the other processes. */
  written(rows: readonly ObjectRow[]): Promise<void>;
  /** After this process committed archives or deletes of these ids. */
  removed(ids: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

const MAX_ENTRIES = 10_000;

class BoundedCache implements ObjectCache {
  enabled: boolean;
  #rows = new Map<number, ObjectRow>();
  #generation = 0;
  readonly #publish: (ids: readonly number[]) => Promise<void>;

  constructor(enabled: boolean, publish: (ids: readonly number[]) => Promise<void>) {
    this.enabled = enabled;
    this.#publish = publish;
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
  async written(rows: readonly ObjectRow[]) {
    this.#generation++;
    for (const row of rows) {
      if (this.enabled) this.#put(row);
      else this.#rows.delete(row.id);
    }
    await this.#publish(rows.map((r) => r.id));
  }
  async removed(ids: readonly number[]) {
    for (const id of ids) this.invalidate(id);
    await this.#publish(ids);
  }
  /** A record changed elsewhere: forget it. */
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
  /** Where LISTEN and NOTIFY failures are reported (the cache turns itself off meanwhile). */
  onError?: (error: unknown) => void;
}

/** The cache fitting this database: always on for PGlite, LISTEN-driven for PostgreSQL. */
export function createObjectCache(db: Database, options: ObjectCacheOptions = {}): ObjectCache {
  if (db.kind === 'pglite') return new BoundedCache(true, async () => undefined);

  // Notifications name the schema, so test schemas (and tenants) sharing a server stay apart.
  let schema: Promise<string> | undefined;
  const ourSchema = () => {
    schema ??= db
      .query<{ schema: string }>('SELECT current_schema() AS schema')
      .then((rows) => rows[0]?.schema ?? 'public');
    return schema;
  };
  // Every process publishes its writes, cache or not: others may be caching.
  const publish = async (ids: readonly number[]) => {
    if (ids.length === 0) return;
    const prefix = `${await ourSchema()}:`;
    // NOTIFY payloads must stay under 8000 bytes.
    for (let i = 0; i < ids.length; i += 400) {
      await db
        .query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, prefix + ids.slice(i, i + 400).join(',')])
        .catch((error) => options.onError?.(error));
    }
  };
  const cache = new BoundedCache(false, publish);
  const url = options.databaseUrl;
  if (!url) return cache;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    try {
      const mine = await ourSchema();
      const c = new pg.Client({ connectionString: url });
      client = c;
      c.on('notification', (msg) => {
        const payload = msg.payload ?? '';
        const colon = payload.lastIndexOf(':');
        if (payload.slice(0, colon) !== mine) return;
        for (const id of payload.slice(colon + 1).split(',')) cache.invalidate(Number(id));
      });
      c.on('error', (error) => lost(error));
      c.on('end', () => lost(new Error('LISTEN connection ended')));
      await c.connect();
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
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
