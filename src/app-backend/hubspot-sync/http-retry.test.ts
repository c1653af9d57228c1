/**
 * Retries against a real HTTP server on a free port that answers 429/503 (or drops the connection)
 * a few times before succeeding: a test peer standing in for a busy HubSpot, not a mock of ours.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseRetryAfter } from './http-retry.js';
import { createHubSpotSyncClient } from './hubspot-sync-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function peer(
  handler: Handler,
): Promise<{ url: string; requests: Array<{ method: string; url: string; body: string }> }> {
  const requests: Array<{ method: string; url: string; body: string }> = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body });
      handler(req, res, body, requests.length);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const fast = { retries: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe('sync client retries (real HTTP peer)', () => {
  it('retries 429 and 503, honouring Retry-After, then succeeds', async () => {
    const p = await peer((_req, res, _body, n) => {
      if (n === 1)
        return json(
          res,
          429,
          { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' },
          { 'retry-after': '1' },
        );
      if (n === 2) return json(res, 503, { status: 'error' });
      if (n === 3) return json(res, 502, { status: 'error' }, { 'retry-after': '0' });
      res.writeHead(204).end();
    });
    const waits: number[] = [];
    const client = createHubSpotSyncClient({
      baseUrl: p.url,
      accessToken: 't',
      retry: fast,
      onRetry: (i) => waits.push(i.waitMs),
    });
    await client.markReady('123');
    expect(p.requests.map((r) => r.url)).toEqual(
      Array(4).fill('/crm/v3/extensions/calling/recordings/ready'),
    );
    expect(JSON.parse(p.requests[3]!.body)).toEqual({ engagementId: 123 });
    expect(waits[0]).toBe(1000); // Retry-After: 1 (seconds)
    expect(waits[1]).toBeLessThanOrEqual(10); // jittered backoff, step 2 of base 5 ms
    expect(waits[2]).toBe(0); // Retry-After: 0
  });

  it('retries a dropped connection', async () => {
    const p = await peer((req, res, _body, n) => {
      if (n === 1) return req.socket.destroy();
      json(res, 200, { urlToRetrieveAuthedRecording: 'https://x/%s' });
    });
    const client = createHubSpotSyncClient({ baseUrl: p.url, developerApiKey: 'k', retry: fast });
    expect(await client.getRecordingUrl('42')).toBe('https://x/%s');
    expect(p.requests).toHaveLength(2);
    expect(p.requests[1]!.url).toBe('/crm/v3/extensions/calling/42/settings/recording?hapikey=k');
  });

  it('gives up after the retries with E_HUBSPOT_API naming the status', async () => {
    const p = await peer((_req, res) =>
      json(res, 503, { status: 'error', message: 'down', correlationId: 'c-1' }),
    );
    const client = createHubSpotSyncClient({
      baseUrl: p.url,
      accessToken: 't',
      retry: { ...fast, retries: 2 },
    });
    const error = await client.markReady('5').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('E_HUBSPOT_API');
    expect((error as AppError).message).toMatch(/503 .*down.*c-1/);
    expect(p.requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const p = await peer((_req, res) =>
      json(res, 400, { status: 'error', message: 'bad', category: 'VALIDATION_ERROR' }),
    );
    const client = createHubSpotSyncClient({ baseUrl: p.url, accessToken: 't', retry: fast });
    await expect(client.markReady('5')).rejects.toThrow(/400/);
    expect(p.requests).toHaveLength(1);
  });

  it('a create whose success was lost (503 after storing) is found by search, not logged twice', async () => {
    const calls: Array<{ id: string; properties: Record<string, string> }> = [];
    const p = await peer((req, res, body) => {
      if (req.url === '/crm/v3/objects/calls/search') {
        const filters = JSON.parse(body).filterGroups[0].filters as Array<{
          propertyName: string;
          value: string;
        }>;
        const results = calls.filter((c) => filters.every((f) => c.properties[f.propertyName] === f.value));
        return json(res, 200, { total: results.length, results });
      }
      if (req.url === '/crm/v3/objects/calls' && req.method === 'POST') {
        calls.push({ id: String(calls.length + 1), properties: JSON.parse(body).properties });
        // Stored, but the answer is lost the first time (a gateway error after the write).
        return calls.length === 1 ? json(res, 503, { status: 'error' }) : json(res, 201, calls.at(-1));
      }
      json(res, 404, {});
    });
    const client = createHubSpotSyncClient({ baseUrl: p.url, accessToken: 't', retry: fast });
    const input = { appId: '42', externalAccountId: 'acc-1', externalId: 'call-1', title: 'x' };
    const logged = await client.logCall(input);
    expect(logged).toMatchObject({ id: '1', created: false });
    expect(calls).toHaveLength(1);
    expect((await client.logCall(input)).id).toBe('1');
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['soon', undefined],
    [null, undefined],
  ])('parses Retry-After %j', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });
  it('parses an HTTP-date Retry-After', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  });
});
