/**
 * PostgreSQL: a process's record cache learns of writes made by another process through the
 * migration's NOTIFY trigger, and stays off while it has no LISTEN connection.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES, TEST_POSTGRES_URL } from '../../../test/support/databases.js';
import type { Database } from '../../storage/db/index.js';
import { migrate } from '../../storage/db/index.js';
import { createCrm } from '../build-crm-app.js';
import { createCrmEvents } from '../crm-events.js';
import { createObjectCache } from './object-cache.js';
import { createObjectStore } from './object-store.js';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && !done(value); i++) {
    await sleep(25);
    value = await read();
  }
  return value;
}

describe('record cache on PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await TEST_DATABASES.find((d) => d.name === 'postgres')!.open());
    await migrate(db);
  });
  afterAll(async () => drop());

  it('drops a cached record when another process changes it', async () => {
    const cache = createObjectCache(db, { databaseUrl: TEST_POSTGRES_URL });
    const reader = createObjectStore(db, { events: createCrmEvents(), cache });
    // "Another process": a CRM without any cache, writing to the same schema.
    const writer = createCrm(db, { devMode: true });
    try {
      await eventually(async () => cache.enabled, Boolean);
      expect(cache.enabled).toBe(true);
      const call = await writer.calls.create({ properties: { hs_timestamp: 0, hs_call_title: 'before' } });
      expect((await reader.get('calls', call.id)).properties['hs_call_title']).toBe('before');
      // The insert's own notification may still be on its way; wait until the copy sticks.
      const cached = await eventually(async () => {
        await reader.get('calls', call.id);
        return cache.get(Number(call.id));
      }, Boolean);
      expect(cached?.properties['hs_call_title']).toBe('before');
      await writer.calls.updateProperties(call.id, { hs_call_title: 'after' });
      const seen = await eventually(
        () => reader.get('calls', call.id),
        (c) => c.properties['hs_call_title'] === 'after',
      );
      expect(seen.properties['hs_call_title']).toBe('after');
      await writer.objects.archive('calls', call.id);
      await eventually(
        () =>
          reader.get('calls', call.id).then(
            () => 'live',
            () => 'gone',
          ),
        (state) => state === 'gone',
      );
      await expect(reader.get('calls', call.id)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    } finally {
      await cache.close();
      await writer.close();
    }
  });

  it('without a LISTEN connection the cache stays off', async () => {
    const cache = createObjectCache(db);
    const store = createObjectStore(db, { events: createCrmEvents(), cache });
    const call = await store.create('calls', { properties: { hs_timestamp: 0 } });
    await store.get('calls', call.id);
    expect(cache.enabled).toBe(false);
    expect(cache.get(Number(call.id))).toBeUndefined();
  });
});
