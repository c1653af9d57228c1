/** Regression: a sorted search that matches nothing answered 500 (the count reused sort parameters). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestServer, startCrmServer } from '../../../test/support/crm-server.js';
import { TEST_DATABASES } from '../../../test/support/databases.js';

describe.each(TEST_DATABASES)('sorted search with no matches ($name)', (database) => {
  let s: CrmTestServer;
  beforeAll(async () => {
    s = await startCrmServer(database);
    await s.system.crm.calls.create({
      properties: { hs_timestamp: '2024-01-01T00:00:00Z', hs_call_title: 'a' },
    });
  });
  afterAll(async () => s?.close());

  it.each([0, 1])('answers 200 with total 0 (matching calls: %i)', async (matching) => {
    const res = await s.system.app.inject({
      method: 'POST',
      url: '/crm/v3/objects/calls/search',
      headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        filterGroups: [
          { filters: [{ propertyName: 'hs_call_title', operator: 'EQ', value: matching ? 'a' : 'zz' }] },
        ],
        sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }],
        limit: 1,
        after: matching ? '1' : undefined,
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: matching, results: [] });
  });
});
