/** The recording fetcher over real sockets: local servers for the app endpoint and the media. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { verifyHubSpotRequestV3 } from '../core/hubspot-signature-v3.js';
import { type AddressPolicy, devAddressPolicy, productionAddressPolicy } from './address-policy.js';
import {
  fetchRecording,
  isTransientFetchError,
  type RecordingFetchOptions,
  type RecordingSource,
} from './recording-fetcher.js';

const SECRET = 'client-secret-for-tests';
const AUDIO = randomBytes(50_000);

interface Seen {
  url: string;
  signature: 'valid' | 'invalid' | 'none';
}

function listen(server: http.Server, host: string): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`));
  });
}

let base: string;
let otherBase: string;
let dir: string;
const seen: Seen[] = [];
const servers: http.Server[] = [];

function app(self: () => string): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url!, self());
    const given = req.headers['x-hubspot-signature-v3'];
    const verdict = verifyHubSpotRequestV3(SECRET, {
      method: 'GET',
      uris: [url.toString()],
      body: '',
      timestamp: req.headers['x-hubspot-request-timestamp'] as string | undefined,
      signature: given as string | undefined,
    });
    seen.push({ url: req.url!, signature: !given ? 'none' : verdict.ok ? 'valid' : 'invalid' });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const [, first, second, third] = url.pathname.split('/');
    switch (first) {
      case 'recordings': // the app endpoint: /recordings/<externalId>
        return json(200, { authenticatedUrl: `${self()}/media/ok?for=${encodeURIComponent(second ?? '')}` });
      case 'endpoint-to': // an endpoint answering with a chosen authenticatedUrl
        return json(200, { authenticatedUrl: decodeURIComponent(second ?? '') });
      case 'media':
        if (second === 'ok')
          return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(AUDIO);
        if (second === 'big') {
          return res.writeHead(200, { 'content-length': String(10_000_000) }).end(randomBytes(10));
        }
        if (second === 'big-chunked') {
          res.writeHead(200);
          for (let i = 0; i < 20; i++) res.write(randomBytes(10_000));
          return res.end();
        }
        if (second === 'slow') {
          res.writeHead(200);
          const timer = setInterval(() => res.write(randomBytes(10)), 50);
          res.on('close', () => clearInterval(timer));
          return;
        }
        if (second === 'hang') return; // never answers
        return res.writeHead(Number(second)).end('nope');
      case 'status':
        return json(Number(second), { message: 'as you asked' });
      case 'redirect': {
        // /redirect/<n>/<final path, encoded>: n hops, then the final location
        const n = Number(second);
        const location = n <= 1 ? decodeURIComponent(third ?? '') : `/redirect/${n - 1}/${third}`;
        return res.writeHead(302, { location }).end();
      }
      default:
        return res.writeHead(404).end();
    }
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-fetch-test-'));
  const main = app(() => base);
  const other = app(() => otherBase);
  servers.push(main, other);
  base = await listen(main, '127.0.0.1');
  // A second loopback address: a target the test policy below refuses.
  otherBase = await listen(other, '127.0.0.2');
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<RecordingFetchOptions> = {}): RecordingFetchOptions {
  return {
    policy: devAddressPolicy,
    maxBytes: 100_000,
    endpointTimeoutMs: 2000,
    downloadTimeoutMs: 2000,
    maxRedirects: 3,
    directory: dir,
    ...overrides,
  };
}

function authed(
  urlTemplate: string,
  externalId = 'rec-1',
  clientSecret: string | null = SECRET,
): RecordingSource {
  return {
    kind: 'authenticated',
    urlTemplate,
    externalId,
    externalAccountId: 'acct 7',
    appId: '4242',
    ...(clientSecret ? { clientSecret } : {}),
  };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Only 127.0.0.1 is allowed: stands for "public" so redirects to another address can be tested. */
const onlyFirstLoopback: AddressPolicy = (address) =>
  address === '127.0.0.1' || address === '::ffff:127.0.0.1' ? undefined : `${address} is not allowed here`;

describe('fetchRecording: the authenticated flow', () => {
  it('substitutes the encoded external id, adds account and app, signs (v3), downloads the bytes', async () => {
    seen.length = 0;
    const fetched = await fetchRecording(authed(`${base}/recordings/%s`, 'call 1/é?x'), options());
    expect(await readFile(fetched.path)).toEqual(AUDIO);
    expect(fetched.bytes).toBe(AUDIO.length);
    expect(seen[0]).toEqual({
      url: '/recordings/call%201%2F%C3%A9%3Fx?externalAccountId=acct+7&appId=4242',
      signature: 'valid',
    });
    // The signature is for the endpoint only; the media request carries none.
    expect(seen[1]).toMatchObject({ signature: 'none' });
    await rm(fetched.path);
  });

  it('sends no signature when the app has no client secret', async () => {
    seen.length = 0;
    const fetched = await fetchRecording(authed(`${base}/recordings/%s`, 'r', null), options());
    expect(seen[0]?.signature).toBe('none');
    await rm(fetched.path);
  });

  it('fetches a legacy hs_call_recording_url directly', async () => {
    const fetched = await fetchRecording({ kind: 'legacy', url: `${base}/media/ok` }, options());
    expect(await readFile(fetched.path)).toEqual(AUDIO);
    await rm(fetched.path);
  });
});

describe('fetchRecording: redirects', () => {
  it('follows redirects up to the limit', async () => {
    const url = `${base}/redirect/3/${encodeURIComponent('/media/ok')}`;
    const fetched = await fetchRecording({ kind: 'legacy', url }, options({ maxRedirects: 3 }));
    expect(fetched.url).toBe(`${base}/media/ok`);
    await rm(fetched.path);
  });

  it('refuses one redirect too many', async () => {
    const url = `${base}/redirect/4/${encodeURIComponent('/media/ok')}`;
    const error = await refusal(fetchRecording({ kind: 'legacy', url }, options({ maxRedirects: 3 })));
    expect(error.code).toBe('E_RECORDING_URL_REFUSED');
    expect(error.message).toMatch(/more than 3 redirects/);
    expect(isTransientFetchError(error)).toBe(false);
  });

  it.each(['ftp://127.0.0.1/x', 'file:///etc/passwd', 'data:text/plain,hi'])(
    'refuses a redirect to %s',
    async (to) => {
      const url = `${base}/redirect/1/${encodeURIComponent(to)}`;
      const error = await refusal(fetchRecording({ kind: 'legacy', url }, options()));
      expect(error.code).toBe('E_RECORDING_URL_REFUSED');
      expect(error.message).toMatch(/only http and https/);
    },
  );

  it('re-checks the address on every hop: a redirect to a refused address fails', async () => {
    const url = `${base}/redirect/2/${encodeURIComponent(`${otherBase}/media/ok`)}`;
    const error = await refusal(
      fetchRecording({ kind: 'legacy', url }, options({ policy: onlyFirstLoopback })),
    );
    expect(error.code).toBe('E_RECORDING_URL_REFUSED');
    expect(error.message).toMatch(/127\.0\.0\.2 is not allowed/);
  });

  it('re-checks the authenticatedUrl the endpoint answers with', async () => {
    const template = `${base}/endpoint-to/${encodeURIComponent(`${otherBase}/media/ok`)}?id=%s`;
    const error = await refusal(fetchRecording(authed(template), options({ policy: onlyFirstLoopback })));
    expect(error.code).toBe('E_RECORDING_URL_REFUSED');
  });

  it('checks the resolved address, not the name: a rebinding resolver is caught on the second lookup', async () => {
    let lookups = 0;
    const resolver = async () => [{ address: ++lookups === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    const port = new URL(base).port;
    const template = `http://rebind.test:${port}/endpoint-to/${encodeURIComponent(`http://rebind.test:${port}/media/ok`)}?id=%s`;
    const error = await refusal(
      fetchRecording(authed(template), options({ policy: onlyFirstLoopback, resolver })),
    );
    expect(lookups).toBe(2);
    expect(error.code).toBe('E_RECORDING_URL_REFUSED');
    expect(error.message).toMatch(/rebind\.test resolves to 127\.0\.0\.2/);
  });
});

describe('fetchRecording: production refuses loopback, however it is written', () => {
  const port = () => new URL(base).port;
  it.each([
    () => `http://127.0.0.1:${port()}/media/ok`,
    () => `http://[::ffff:127.0.0.1]:${port()}/media/ok`,
    () => `http://[::ffff:7f00:1]:${port()}/media/ok`,
    () => `http://localhost:${port()}/media/ok`,
    () => `http://2130706433:${port()}/media/ok`, // 127.0.0.1 as one decimal number
  ])('refuses %#', async (url) => {
    const error = await refusal(
      fetchRecording({ kind: 'legacy', url: url() }, options({ policy: productionAddressPolicy })),
    );
    expect(error.code).toBe('E_RECORDING_URL_REFUSED');
    expect(error.message).toMatch(/loopback/);
  });

  it('dev mode reaches the same IPv4-mapped address (so the refusal above is real)', async () => {
    const url = `http://[::ffff:127.0.0.1]:${port()}/media/ok`;
    const fetched = await fetchRecording({ kind: 'legacy', url }, options({ policy: devAddressPolicy }));
    expect(await readFile(fetched.path)).toEqual(AUDIO);
    await rm(fetched.path);
  });
});

describe('fetchRecording: limits and failures', () => {
  it('refuses a recording whose Content-Length is over the limit', async () => {
    const error = await refusal(fetchRecording({ kind: 'legacy', url: `${base}/media/big` }, options()));
    expect(error.code).toBe('E_RECORDING_TOO_LARGE');
    expect(isTransientFetchError(error)).toBe(false);
  });

  it('stops a streamed recording at the limit and leaves no file behind', async () => {
    const before = await readdir(dir);
    const error = await refusal(
      fetchRecording({ kind: 'legacy', url: `${base}/media/big-chunked` }, options()),
    );
    expect(error.code).toBe('E_RECORDING_TOO_LARGE');
    expect(await readdir(dir)).toEqual(before);
  });

  it('times out a download that trickles, as a transient failure', async () => {
    const error = await refusal(
      fetchRecording({ kind: 'legacy', url: `${base}/media/slow` }, options({ downloadTimeoutMs: 300 })),
    );
    expect(error.code).toBe('E_RECORDING_FETCH_TIMEOUT');
    expect(isTransientFetchError(error)).toBe(true);
  });

  it('times out an endpoint that never answers', async () => {
    const hang = `${base}/media/hang?id=%s`;
    const error = await refusal(fetchRecording(authed(hang), options({ endpointTimeoutMs: 300 })));
    expect(error.code).toBe('E_RECORDING_FETCH_TIMEOUT');
    expect(error.message).toMatch(/recording endpoint did not answer/);
  });

  it('an endpoint 404 is permanent: the app has no such recording', async () => {
    const error = await refusal(fetchRecording(authed(`${base}/status/404?x=%s`), options()));
    expect(error.code).toBe('E_RECORDING_UNAVAILABLE');
    expect(error.message).toMatch(/answered 404/);
    expect(isTransientFetchError(error)).toBe(false);
  });

  it.each([500, 502, 503, 429])('an endpoint %i is transient', async (status) => {
    const error = await refusal(fetchRecording(authed(`${base}/status/${status}?x=%s`), options()));
    expect(error.code).toBe('E_RECORDING_FETCH_FAILED');
    expect(isTransientFetchError(error)).toBe(true);
  });

  it('a media 404 is permanent, a media 503 transient', async () => {
    const gone = await refusal(fetchRecording({ kind: 'legacy', url: `${base}/media/404` }, options()));
    expect(gone.code).toBe('E_RECORDING_UNAVAILABLE');
    const busy = await refusal(fetchRecording({ kind: 'legacy', url: `${base}/media/503` }, options()));
    expect(busy.code).toBe('E_RECORDING_FETCH_FAILED');
  });

  it('an endpoint that is down (connection refused) is transient', async () => {
    const closed = http.createServer();
    const url = await listen(closed, '127.0.0.1');
    await new Promise((resolve) => closed.close(resolve));
    const error = await refusal(fetchRecording(authed(`${url}/recordings/%s`), options()));
    expect(error.code).toBe('E_RECORDING_FETCH_FAILED');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(isTransientFetchError(error)).toBe(true);
  });

  it('an answer without authenticatedUrl is a failure with a reason', async () => {
    const error = await refusal(fetchRecording(authed(`${base}/status/200?x=%s`), options()));
    expect(error.message).toMatch(/without an authenticatedUrl/);
    expect(existsSync(dir)).toBe(true);
  });
});
