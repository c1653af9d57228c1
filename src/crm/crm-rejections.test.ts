/**
 * Every rejection of issue 6, in HubSpot's error shape with a JSON content type: bad URL
 * templates, bad enumerations, unknown properties, malformed JSON, missing or invalid
 * credentials, unknown ids, paging past the end, rate limits — and no partial writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestServer, startCrmServer } from '../../test/support/crm-server.js';
import { TEST_DATABASES } from '../../test/support/databases.js';
import { checkRecordingUrlTemplate } from './calling-settings/url-rules.js';

const pglite = TEST_DATABASES.find((d) => d.name === 'pglite')!;

describe('CRM rejections', () => {
  let s: CrmTestServer;
  let auth: Record<string, string>;
  let callId: string;
  let contactId: string;
  beforeAll(async () => {
    s = await startCrmServer(pglite, { CALLSCRIBE_RATE_LIMIT_PER_10S: '0' });
    auth = { authorization: `Bearer ${s.accessToken}` };
    callId = (await s.system.crm.calls.create({ properties: { hs_timestamp: '2024-01-01T00:00:00Z' } })).id;
    contactId = (await s.system.crm.objects.create('contacts', { properties: { email: 'x@example.com' } }))
      .id;
  });
  afterAll(async () => s?.close());

  async function request(
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = auth,
  ) {
    const res = await s.system.app.inject({
      method: method as 'GET',
      url,
      headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload:
        typeof payload === 'string' ? payload : payload === undefined ? undefined : JSON.stringify(payload),
    });
    if (res.statusCode >= 400) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({
        status: 'error',
        correlationId: expect.any(String),
        category: expect.any(String),
      });
    }
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  }
  const countCalls = async () =>
    (await s.system.db.query("SELECT 1 FROM crm_objects WHERE object_type = 'calls'")).length;

  describe('recording URL templates', () => {
    it.each([
      ['no %s', 'https://app.example/recordings/', /must contain %s/],
      ['not a URL', 'recordings/%s', /full URL/],
      ['plain http on a public host', 'http://app.example/%s', /https:\/\//],
      ['another scheme', 'ftp://app.example/%s', /https:\/\//],
      ['missing', undefined, /required/],
    ])('%s is a 400 VALIDATION_ERROR', async (_name, url, message) => {
      const res = await request(
        'POST',
        `/crm/v3/extensions/calling/77/settings/recording?hapikey=${s.developerApiKey}`,
        {
          urlToRetrieveAuthedRecording: url,
        },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        category: 'VALIDATION_ERROR',
        message: expect.stringMatching(message),
      });
      expect(await s.system.crm.settings.findRecording(77)).toBeUndefined();
    });

    it('http:// on a loopback host is accepted in dev mode only', async () => {
      expect(checkRecordingUrlTemplate('http://127.0.0.1:8787/app/v1/recordings/%s', true)).toMatch(/^http:/);
      expect(checkRecordingUrlTemplate('http://localhost/r/%s', true)).toMatch(/^http:/);
      expect(() => checkRecordingUrlTemplate('http://127.0.0.1:8787/r/%s', false)).toThrow(/dev mode/);
      const res = await request(
        'POST',
        `/crm/v3/extensions/calling/78/settings/recording?hapikey=${s.developerApiKey}`,
        {
          urlToRetrieveAuthedRecording: 'http://localhost:9/r/%s',
        },
      );
      expect(res.status).toBe(200);
    });

    it('PATCH and GET of an app without settings are 404', async () => {
      const key = `hapikey=${s.developerApiKey}`;
      expect((await request('GET', `/crm/v3/extensions/calling/79/settings/recording?${key}`)).status).toBe(
        404,
      );
      const patch = await request('PATCH', `/crm/v3/extensions/calling/79/settings/recording?${key}`, {
        urlToRetrieveAuthedRecording: 'https://a.example/%s',
      });
      expect(patch.status).toBe(404);
      expect((await request('GET', `/crm/v3/extensions/calling/abc/settings?${key}`)).status).toBe(400);
    });
  });

  describe('credentials', () => {
    it('settings need a developer API key in hapikey: none, a private-app token or a forged key are 401', async () => {
      const path = '/crm/v3/extensions/calling/80/settings/recording';
      for (const [url, headers] of [
        [path, {}],
        [path, auth],
        [`${path}?hapikey=${s.accessToken}`, {}],
        [`${path}?hapikey=forged`, {}],
      ] as const) {
        const res = await request('GET', url, undefined, headers);
        expect(res.status).toBe(401);
        expect(res.body.category).toBe('INVALID_AUTHENTICATION');
      }
    });

    it('CRM, transcripts and mark-ready need a private-app Bearer token', async () => {
      for (const [method, url] of [
        ['GET', `/crm/v3/objects/calls/${callId}`],
        ['POST', '/crm/v3/extensions/calling/transcripts'],
        ['POST', '/crm/v3/extensions/calling/recordings/ready'],
        ['GET', `/crm/v4/objects/calls/${callId}/associations/contacts`],
        ['GET', '/crm/v3/properties/calls'],
      ]) {
        for (const headers of [
          {} as Record<string, string>,
          { authorization: 'Bearer pat-na1-forged' },
          { authorization: `Bearer ${s.developerApiKey}` },
        ]) {
          const res = await request(method!, url!, method === 'POST' ? {} : undefined, headers);
          expect(res.status, `${method} ${url}`).toBe(401);
        }
      }
    });
  });

  describe('property validation', () => {
    it.each([
      ['a bad enumeration', { hs_call_status: 'DONE' }, 'INVALID_OPTION'],
      ['an unknown property', { hs_call_colour: 'blue' }, 'PROPERTY_DOESNT_EXIST'],
      ['a non-number', { hs_call_duration: 'long' }, 'INVALID_INTEGER'],
      ['a bad datetime', { hs_timestamp: 'yesterday' }, 'INVALID_DATE'],
      ['a bad boolean', { hs_call_has_voicemail: 'maybe' }, 'INVALID_BOOLEAN'],
      ['an object value', { hs_call_title: { a: 1 } }, 'INVALID_TYPE'],
      ['a read-only property', { hs_call_has_transcript: 'true' }, 'READ_ONLY_VALUE'],
      ['an unknown owner', { hubspot_owner_id: '123' }, 'INVALID_OWNER_ID'],
    ])('%s on create is a 400 naming the property, and nothing is written', async (_n, properties, code) => {
      const before = await countCalls();
      const res = await request('POST', '/crm/v3/objects/calls', {
        properties: { hs_timestamp: '2024-01-01T00:00:00Z', ...properties },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        category: 'VALIDATION_ERROR',
        errors: [{ code, context: { propertyName: [Object.keys(properties)[0]] } }],
      });
      expect(await countCalls()).toBe(before);
    });

    it('hs_timestamp is required; the integrations platform needs its external ids', async () => {
      const missing = await request('POST', '/crm/v3/objects/calls', { properties: { hs_call_title: 'x' } });
      expect(missing.body.errors[0]).toMatchObject({ code: 'REQUIRED_PROPERTY', in: 'hs_timestamp' });
      const platform = await request('POST', '/crm/v3/objects/calls', {
        properties: {
          hs_timestamp: '2024-01-01T00:00:00Z',
          hs_call_source: 'INTEGRATIONS_PLATFORM',
          hs_call_app_id: '1',
        },
      });
      expect(platform.status).toBe(400);
      expect(platform.body.errors.map((e: { in: string }) => e.in).sort()).toEqual([
        'hs_call_external_account_id',
        'hs_call_external_id',
      ]);
    });

    it('an unknown property on update is a 400 and changes nothing', async () => {
      const res = await request('PATCH', `/crm/v3/objects/calls/${callId}`, {
        properties: { hs_call_title: 'renamed', bogus: 1 },
      });
      expect(res.status).toBe(400);
      const call = await s.system.crm.calls.get(callId);
      expect(call?.properties['hs_call_title']).toBeUndefined();
    });

    it('a batch with one bad input writes nothing', async () => {
      const before = await countCalls();
      const res = await request('POST', '/crm/v3/objects/calls/batch/create', {
        inputs: [
          { properties: { hs_timestamp: '2024-01-01T00:00:00Z' } },
          { properties: { hs_timestamp: '2024-01-01T00:00:00Z', hs_call_direction: 'SIDEWAYS' } },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].context.inputIndex).toEqual(['1']);
      const badAssoc = await request('POST', '/crm/v3/objects/calls/batch/create', {
        inputs: [
          { properties: { hs_timestamp: '2024-01-01T00:00:00Z' } },
          {
            properties: { hs_timestamp: '2024-01-01T00:00:00Z' },
            associations: [
              {
                to: { id: '999' },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }],
              },
            ],
          },
        ],
      });
      expect(badAssoc.status).toBe(404);
      expect(await countCalls()).toBe(before);
      const tooMany = await request('POST', '/crm/v3/objects/calls/batch/create', {
        inputs: Array.from({ length: 101 }, () => ({ properties: { hs_timestamp: '2024-01-01T00:00:00Z' } })),
      });
      expect(tooMany.status).toBe(400);
      expect(await countCalls()).toBe(before);
    });

    it('a batch update naming an unknown id updates nothing', async () => {
      const res = await request('POST', '/crm/v3/objects/calls/batch/update', {
        inputs: [
          { id: callId, properties: { hs_call_title: 'batch renamed' } },
          { id: '999', properties: { hs_call_title: 'nope' } },
        ],
      });
      expect(res.status).toBe(404);
      expect((await s.system.crm.calls.get(callId))?.properties['hs_call_title']).toBeUndefined();
    });

    it('an inline association with a type of the wrong pair is a 400', async () => {
      const res = await request('POST', '/crm/v3/objects/calls', {
        properties: { hs_timestamp: '2024-01-01T00:00:00Z' },
        associations: [
          {
            to: { id: contactId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
          },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].code).toBe('INVALID_ASSOCIATION_TYPE');
    });
  });

  describe('bodies', () => {
    it('malformed JSON is a 400, an oversized body a 413, a non-object body a 400', async () => {
      const bad = await request('POST', '/crm/v3/objects/calls', '{"properties": {');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/not valid JSON/);
      const big = await request('POST', '/crm/v3/objects/calls', {
        properties: { hs_call_body: 'x'.repeat(1_100_000) },
      });
      expect(big.status).toBe(413);
      expect((await request('POST', '/crm/v3/objects/calls', [1, 2])).status).toBe(400);
      expect((await request('POST', '/crm/v3/extensions/calling/recordings/ready', '"x"')).status).toBe(400);
    });
  });

  describe('wrong types are 4xx, never 500', () => {
    const bodies = [
      null,
      'text',
      42,
      [],
      [null],
      [{ associationTypeId: 'x' }],
      { properties: 'x' },
      { properties: { hs_timestamp: [] } },
      { associations: [null] },
      { associations: [{ to: null, types: [null] }] },
      { inputs: 'x' },
      { inputs: [null] },
      { inputs: [{ id: {}, from: null, to: null, types: null, properties: [] }] },
      { filterGroups: [{ filters: [null] }], sorts: [null] },
      { engagementId: 1, transcriptCreateUtterances: [null, { speaker: null }] },
      { engagementId: {}, urlToRetrieveAuthedRecording: 5, name: [], url: {} },
    ];
    it.each([
      ['POST', '/crm/v3/objects/calls'],
      ['PATCH', '/crm/v3/objects/calls/CALL'],
      ['POST', '/crm/v3/objects/calls/batch/create'],
      ['POST', '/crm/v3/objects/calls/batch/read'],
      ['POST', '/crm/v3/objects/calls/batch/update'],
      ['POST', '/crm/v3/objects/calls/batch/upsert'],
      ['POST', '/crm/v3/objects/calls/batch/archive'],
      ['POST', '/crm/v3/objects/calls/search'],
      ['PUT', '/crm/v4/objects/calls/CALL/associations/contacts/CONTACT'],
      ['POST', '/crm/v4/associations/calls/contacts/batch/create'],
      ['POST', '/crm/v4/associations/calls/contacts/batch/read'],
      ['POST', '/crm/v4/associations/calls/contacts/labels'],
      ['POST', '/crm/v4/associations/calls/contacts/batch/archive'],
      ['POST', '/crm/v4/associations/calls/contacts/batch/labels/archive'],
      ['POST', '/crm/v4/associations/calls/contacts/batch/associate/default'],
      ['PUT', '/crm/v4/associations/calls/contacts/labels'],
      ['POST', '/crm/v3/associations/calls/contacts/batch/create'],
      ['POST', '/crm/v3/associations/calls/contacts/batch/read'],
      ['POST', '/crm/v3/associations/calls/contacts/batch/archive'],
      ['POST', '/crm/v3/extensions/calling/transcripts'],
      ['POST', '/crm/v3/extensions/calling/recordings/ready'],
      ['PATCH', '/crm/v3/extensions/calling/81/settings/recording?hapikey=KEY'],
      ['POST', '/crm/v3/extensions/calling/81/settings?hapikey=KEY'],
    ])('%s %s', async (method, rawUrl) => {
      const url = rawUrl
        .replace('CALL', callId)
        .replace('CONTACT', contactId)
        .replace('KEY', s.developerApiKey);
      for (const body of bodies) {
        const res = await request(method, url, JSON.stringify(body));
        expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }
      for (const path of [
        '/crm/v3/objects/calls/99999999999999999999',
        '/crm/v4/objects/calls/abc/associations/x',
      ]) {
        expect((await request('GET', path)).status).toBeLessThan(500);
      }
    });
  });

  describe('unknown ids and types', () => {
    it.each([
      ['GET', '/crm/v3/objects/calls/999'],
      ['PATCH', '/crm/v3/objects/calls/999'],
      ['DELETE', '/crm/v3/objects/calls/999'],
      ['GET', '/crm/v3/extensions/calling/transcripts/999'],
      ['DELETE', '/crm/v3/extensions/calling/transcripts/999'],
      ['PUT', '/crm/v3/objects/calls/CALL/associations/contacts/999/194'],
      ['GET', '/crm/v4/objects/calls/999/associations/contacts'],
      ['GET', '/crm/v3/properties/calls/nope'],
    ])('%s %s is a 404 OBJECT_NOT_FOUND', async (method, url) => {
      const res = await request(
        method,
        url.replace('CALL', callId),
        method === 'PATCH' ? { properties: {} } : undefined,
      );
      expect(res.status).toBe(404);
      expect(res.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('mark-ready for an unknown call is a 404, for a contact a 404, without an id a 400', async () => {
      const path = '/crm/v3/extensions/calling/recordings/ready';
      expect((await request('POST', path, { engagementId: 999 })).status).toBe(404);
      expect((await request('POST', path, { engagementId: Number(contactId) })).status).toBe(404);
      expect((await request('POST', path, {})).status).toBe(400);
    });

    it('an unknown object type is a 400', async () => {
      expect((await request('GET', '/crm/v3/objects/widgets')).status).toBe(400);
      expect((await request('GET', '/crm/v3/objects/calls/abc')).status).toBe(404);
    });
  });

  describe('transcripts', () => {
    const utterance = { speaker: { id: '1', name: 'A' }, text: 'hi', startTimeMillis: 0, endTimeMillis: 10 };
    it.each([
      ['an unknown engagement', { engagementId: 999, transcriptCreateUtterances: [utterance] }, 404],
      ['a contact as engagement', 'CONTACT', 400],
      ['no utterances', { engagementId: 'CALL', transcriptCreateUtterances: [] }, 400],
      [
        'end before start',
        { engagementId: 'CALL', transcriptCreateUtterances: [{ ...utterance, startTimeMillis: 20 }] },
        400,
      ],
      [
        'negative time',
        { engagementId: 'CALL', transcriptCreateUtterances: [{ ...utterance, startTimeMillis: -1 }] },
        400,
      ],
      [
        'empty text',
        { engagementId: 'CALL', transcriptCreateUtterances: [{ ...utterance, text: ' ' }] },
        400,
      ],
      [
        'no speaker name',
        { engagementId: 'CALL', transcriptCreateUtterances: [{ ...utterance, speaker: { id: '1' } }] },
        400,
      ],
      [
        'a fractional time',
        { engagementId: 'CALL', transcriptCreateUtterances: [{ ...utterance, endTimeMillis: 1.5 }] },
        400,
      ],
    ])('%s is rejected and nothing is stored', async (_n, body, status) => {
      const payload =
        body === 'CONTACT'
          ? { engagementId: Number(contactId), transcriptCreateUtterances: [utterance] }
          : {
              ...(body as object),
              engagementId:
                (body as { engagementId: unknown }).engagementId === 'CALL'
                  ? Number(callId)
                  : (body as { engagementId: unknown }).engagementId,
            };
      const res = await request('POST', '/crm/v3/extensions/calling/transcripts', payload);
      expect(res.status).toBe(status);
      expect(await s.system.db.query('SELECT 1 FROM transcripts')).toEqual([]);
    });
  });

  describe('paging and search limits', () => {
    it('paging past the end is an empty page; bad cursors and limits are 400', async () => {
      const past = await request('GET', '/crm/v3/objects/calls?after=99999999999&limit=5');
      expect(past.status).toBe(200);
      expect(past.body).toEqual({ results: [] });
      expect((await request('GET', '/crm/v3/objects/calls?after=abc')).status).toBe(400);
      expect((await request('GET', '/crm/v3/objects/calls?limit=101')).status).toBe(400);
      expect((await request('GET', '/crm/v3/objects/calls?limit=0')).status).toBe(400);
    });

    it('search beyond 10,000 results, too many groups or filters, or unknown operators are 400', async () => {
      const filter = { propertyName: 'hs_call_title', operator: 'HAS_PROPERTY' };
      for (const body of [
        { after: '9990', limit: 20 },
        { limit: 201 },
        { filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) },
        { filterGroups: [{ filters: Array.from({ length: 7 }, () => filter) }] },
        { filterGroups: [{ filters: [{ propertyName: 'hs_call_title', operator: 'LIKE', value: 'x' }] }] },
        { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] },
        { sorts: [{ propertyName: 'nope' }] },
        { query: 'x'.repeat(3100) },
      ]) {
        const res = await request('POST', '/crm/v3/objects/calls/search', body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(res.body.category).toBe('VALIDATION_ERROR');
      }
    });
  });

  describe('what the client sends', () => {
    it('comma lists and repeated params both select properties; trailing slashes route', async () => {
      const comma = await request(
        'GET',
        `/crm/v3/objects/calls/${callId}?properties=hs_timestamp,hs_call_title`,
      );
      const repeated = await request(
        'GET',
        `/crm/v3/objects/calls/${callId}?properties=hs_timestamp&properties=hs_call_title`,
      );
      expect(comma.body.properties).toEqual(repeated.body.properties);
      expect(Object.keys(comma.body.properties).sort()).toEqual([
        'hs_call_title',
        'hs_createdate',
        'hs_lastmodifieddate',
        'hs_object_id',
        'hs_timestamp',
      ]);
      expect((await request('GET', '/crm/v3/objects/calls/')).status).toBe(200);
      expect((await request('GET', '/crm/v3/owners/?limit=1')).status).toBe(200);
    });

    it('lists the call dispositions hs_call_disposition accepts', async () => {
      const res = await request('GET', '/calling/v1/dispositions');
      expect(res.body).toContainEqual({ id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' });
      const ok = await request('POST', '/crm/v3/objects/calls', {
        properties: { hs_timestamp: 0, hs_call_disposition: res.body[0].id },
      });
      expect(ok.status).toBe(201);
    });

    it('creates answer 201 with Location; archives answer 204 without a body', async () => {
      const created = await request('POST', '/crm/v3/objects/calls', {
        properties: { hs_timestamp: 1700000000000 },
      });
      expect(created.status).toBe(201);
      expect(created.headers['location']).toMatch(new RegExp(`/crm/v3/objects/calls/${created.body.id}$`));
      const archived = await request('DELETE', `/crm/v3/objects/calls/${created.body.id}`);
      expect(archived.status).toBe(204);
      expect(archived.body).toBeUndefined();
    });
  });
});

describe('CRM rate limits', () => {
  let s: CrmTestServer;
  beforeAll(async () => {
    s = await startCrmServer(pglite, { CALLSCRIBE_RATE_LIMIT_PER_10S: '3' });
  });
  afterAll(async () => s?.close());

  it('sends HubSpot rate-limit headers and answers over the limit with the 429 the client retries on', async () => {
    const get = () =>
      s.system.app.inject({
        url: '/crm/v3/objects/calls',
        headers: { authorization: `Bearer ${s.accessToken}` },
      });
    const first = await get();
    expect(first.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '2',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '1000000',
    });
    await get();
    await get();
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json()).toMatchObject({
      status: 'error',
      category: 'RATE_LIMITS',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your secondly limit.',
    });
    // Another credential has its own budget.
    const other = await s.system.tokens.create();
    const res = await s.system.app.inject({
      url: '/crm/v3/objects/calls',
      headers: { authorization: `Bearer ${other}` },
    });
    expect(res.statusCode).toBe(200);
    // The official client surfaces it as an ApiException carrying HubSpot's body.
    await expect(s.client.crm.objects.calls.basicApi.getPage()).rejects.toMatchObject({
      code: 429,
      body: { policyName: 'TEN_SECONDLY_ROLLING' },
    });
  });
});
