import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { type Callscribe, createCallscribe } from '../main.js';
import { migrate } from '../storage/db/index.js';
import { createPgliteDatabase } from '../storage/db/pglite-database.js';

describe('HTTP foundations (inject)', () => {
  let system: Callscribe;
  let token: string;
  beforeAll(async () => {
    const db = await createPgliteDatabase();
    await migrate(db);
    system = await createCallscribe(loadConfig({ LOG_LEVEL: 'silent' }), { db });
    token = await system.tokens.create();
  });
  afterAll(async () => {
    await system.close();
    await system.db.close();
  });

  it('GET / is a small HTML page with links', async () => {
    const res = await system.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/<a href="\/crm\/v3\/owners">/);
  });

  it('an unknown route answers a HubSpot-shaped 404 with the correlation id it sent as a header', async () => {
    const res = await system.app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: expect.stringMatching(/nope/),
    });
    expect(body.correlationId).toBe(res.headers['x-hubspot-correlation-id']);
  });

  it('a missing or unknown token is a 401 INVALID_AUTHENTICATION', async () => {
    for (const authorization of [undefined, 'Bearer pat-na1-forged']) {
      const res = await system.app.inject({
        url: '/crm/v3/owners',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    }
  });

  it('malformed JSON is a 400 VALIDATION_ERROR, never a 500', async () => {
    const res = await system.app.inject({
      method: 'POST',
      url: '/admin/v1/owners',
      headers: { authorization: `Bearer ${system.adminSecret}`, 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: /not valid JSON/,
    });
  });

  it('a body over the limit is a 413 in HubSpot shape', async () => {
    const res = await system.app.inject({
      method: 'POST',
      url: '/admin/v1/owners',
      headers: { authorization: `Bearer ${system.adminSecret}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x@example.com', pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect((await system.owners.list()).results).toEqual([]);
  });

  it('owners are listed in HubSpot shape with paging, with and without a trailing slash', async () => {
    for (const email of ['o1@example.com', 'o2@example.com', 'o3@example.com']) {
      await system.owners.add({ email, seat: 'sales' });
    }
    const auth = { authorization: `Bearer ${token}` };
    const first = await system.app.inject({ url: '/crm/v3/owners?limit=2', headers: auth });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.results).toHaveLength(2);
    expect(page.results[0]).toMatchObject({
      email: 'o1@example.com',
      type: 'PERSON',
      archived: false,
      seat: 'sales',
    });
    const second = await system.app.inject({
      url: `/crm/v3/owners/?limit=2&after=${page.paging.next.after}`,
      headers: auth,
    });
    expect(second.json().results.map((o: { email: string }) => o.email)).toEqual(['o3@example.com']);
    expect(second.json().paging).toBeUndefined();
    const byEmail = await system.app.inject({ url: '/crm/v3/owners/?email=O2@example.com', headers: auth });
    expect(byEmail.json().results.map((o: { email: string }) => o.email)).toEqual(['o2@example.com']);
  });
});
