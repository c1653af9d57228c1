/** The app backend over real sockets: upload, the endpoint HubSpot calls, signed seekable media. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFlacLike, makeMp3Like, makeMp4Like, makeWav } from '../../test/support/app-audio.js';
import type { Config } from '../config.js';
import { loadConfig } from '../config.js';
import { hubSpotSignatureHeadersV3 } from '../core/hubspot-signature-v3.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { createTokenStore } from '../crm/auth/token-store.js';
import { buildHttpServer } from '../http/build-http-server.js';
import { createBlobStore } from '../storage/blob/index.js';
import { migrate } from '../storage/db/index.js';
import { createPgliteDatabase } from '../storage/db/pglite-database.js';
import { registerAppBackend } from './index.js';
import type { RecordingService } from './recording-service.js';
import { createMediaUrlSigner } from './signed-url.js';

const SIGNING_KEY = 'k'.repeat(40);

interface Running {
  system: { config: Config; recordings: RecordingService; blobs: BlobStore };
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** The app backend as `serve` mounts it (buildHttpServer + registerAppBackend), on a free port. */
async function start(env: Record<string, string> = {}): Promise<Running> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-app-'));
  const db = await createPgliteDatabase();
  await migrate(db);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    CALLSCRIBE_DATA_DIR: dataDir,
    CALLSCRIBE_URL_SIGNING_KEY: SIGNING_KEY,
    CALLSCRIBE_UPLOAD_LIMIT_MB: '1',
    ...env,
  });
  const app = buildHttpServer({ logLevel: 'silent' });
  const tokens = createTokenStore(db);
  const blobs = await createBlobStore(config.blobStore);
  const recordings = await registerAppBackend(app, {
    config,
    db,
    blobs,
    tokens,
    adminSecret: 'admin-secret',
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    system: { config, recordings, blobs },
    url: address,
    token: await tokens.create(),
    async stop() {
      await app.close();
      await blobs.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function upload(
  r: Running,
  id: string,
  body: Buffer,
  query = 'externalAccountId=acc-1&appId=42',
  token = r.token,
) {
  return fetch(`${r.url}/app/v1/recordings/${encodeURIComponent(id)}?${query}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
}

/** A body without Content-Length (chunked), as a streaming client sends it. */
function chunkedBody(data: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.subarray(offset, offset + 65_536));
      offset += 65_536;
    },
  });
}

describe('app backend over a real socket', () => {
  let r: Running;
  const wav = makeWav(200_000);
  beforeAll(async () => {
    r = await start();
    expect((await upload(r, 'call-1', wav)).status).toBe(201);
  });
  afterAll(() => r.stop());

  describe('upload', () => {
    it('stores WAV (201), replaces it (200) and reports size and SHA-256', async () => {
      const first = await upload(r, 'up-1', makeWav(1000));
      expect(first.status).toBe(201);
      const second = await upload(r, 'up-1', makeWav(2000));
      expect(second.status).toBe(200);
      expect(await second.json()).toMatchObject({
        externalId: 'up-1',
        externalAccountId: 'acc-1',
        appId: '42',
        size: 2044,
        contentType: 'audio/wav',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it.each([
      ['FLAC', makeFlacLike(5000), 'audio/flac'],
      ['MP4', makeMp4Like(5000), 'audio/mp4'],
    ])('accepts %s', async (_name, body, contentType) => {
      const res = await upload(r, `up-${contentType.slice(6)}`, body);
      expect(res.status).toBe(201);
      expect((await res.json()).contentType).toBe(contentType);
    });

    it.each([
      ['an MP3', makeMp3Like(5000), /MP3/],
      ['an Ogg file', Buffer.from('OggS\0\x02\0\0\0\0\0\0\0\0'), /Ogg/],
      ['a RIFF AVI', Buffer.from('RIFF\0\0\0\0AVI LIST'), /AVI/],
      ['text', Buffer.from('hello, this is not audio'), /WAV, FLAC and MP4/],
      ['an empty body', Buffer.alloc(0), /empty/],
    ])('refuses %s with 415 and the reason, storing nothing', async (_name, body, reason) => {
      const res = await upload(r, 'refused', body);
      expect(res.status).toBe(415);
      const json = await res.json();
      expect(json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(json.message).toMatch(reason);
      expect(await r.system.recordings.get('acc-1', 'refused')).toBeUndefined();
    });

    it('refuses a body over the limit with 413, by Content-Length and while streaming', async () => {
      const big = makeWav(1024 * 1024 + 10);
      expect((await upload(r, 'too-big', big)).status).toBe(413);
      const streamed = await fetch(`${r.url}/app/v1/recordings/too-big?externalAccountId=acc-1&appId=42`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${r.token}`, 'content-type': 'audio/wav' },
        body: chunkedBody(big),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(await r.system.recordings.get('acc-1', 'too-big')).toBeUndefined();
      expect(await r.system.blobs.head('recordings/acc-1/too-big')).toBeUndefined();
    });

    it('accepts a streamed (chunked) upload', async () => {
      const res = await fetch(`${r.url}/app/v1/recordings/streamed?externalAccountId=acc-1&appId=42`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${r.token}`, 'content-type': 'audio/wav' },
        body: chunkedBody(wav),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(201);
      expect((await res.json()).size).toBe(wav.length);
    });

    it('needs a token (401) and both query parameters (400)', async () => {
      expect((await upload(r, 'x', wav, undefined, 'pat-na1-forged')).status).toBe(401);
      expect((await upload(r, 'x', wav, 'appId=42')).status).toBe(400);
      expect((await upload(r, 'x', wav, 'externalAccountId=acc-1')).status).toBe(400);
    });
  });

  describe('GET /app/v1/recordings/{externalId}', () => {
    const get = (q: string) => fetch(`${r.url}/app/v1/recordings/${q}`);
    it('answers 200 {"authenticatedUrl"} that downloads the file', async () => {
      const res = await get('call-1?externalAccountId=acc-1&appId=42');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const { authenticatedUrl } = await res.json();
      expect(authenticatedUrl).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/app\/v1\/media\/acc-1\/call-1\?expires=\d+&signature=/,
      );
      const media = await fetch(authenticatedUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, r.url));
      expect(Buffer.from(await media.arrayBuffer()).equals(wav)).toBe(true);
    });
    it.each([
      ['externalAccountId missing', 'call-1?appId=42', 400, /externalAccountId/],
      ['appId missing', 'call-1?externalAccountId=acc-1', 400, /appId/],
      ['unknown externalId', 'nope?externalAccountId=acc-1&appId=42', 404, /nope/],
      ['another appId', 'call-1?externalAccountId=acc-1&appId=43', 403, /appId/],
      ['another account', 'call-1?externalAccountId=acc-2&appId=42', 403, /externalAccountId/],
    ])('%s → %i', async (_name, q, status, message) => {
      const res = await get(q);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = await res.json();
      expect(body).toMatchObject({
        status: 'error',
        correlationId: res.headers.get('x-hubspot-correlation-id'),
      });
      expect(body.message).toMatch(message);
    });
  });

  describe('signed media', () => {
    const media = async (headers: Record<string, string> = {}, method = 'GET') => {
      const res = await fetch(`${r.url}/app/v1/recordings/call-1?externalAccountId=acc-1&appId=42`);
      const url = (await res.json()).authenticatedUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, r.url);
      return fetch(url, { method, headers });
    };
    const size = wav.length;
    const cases: Array<[string, string | undefined, number, [number, number] | undefined]> = [
      ['no Range', undefined, 200, undefined],
      ['first byte', 'bytes=0-0', 206, [0, 0]],
      ['bounded', 'bytes=100-199', 206, [100, 199]],
      ['open-ended', 'bytes=150000-', 206, [150_000, size - 1]],
      ['suffix', 'bytes=-500', 206, [size - 500, size - 1]],
      ['suffix longer than file', `bytes=-${size + 10}`, 206, [0, size - 1]],
      ['end past the end is clamped', `bytes=${size - 10}-${size + 1000}`, 206, [size - 10, size - 1]],
      ['last byte', `bytes=${size - 1}-${size - 1}`, 206, [size - 1, size - 1]],
      ['whole file as a range', 'bytes=0-', 206, [0, size - 1]],
      ['start past the end', `bytes=${size}-`, 416, undefined],
      ['far past the end', 'bytes=99999999999-', 416, undefined],
      ['zero-length suffix', 'bytes=-0', 416, undefined],
      ['several ranges: whole file', 'bytes=0-9,20-29', 200, undefined],
      ['malformed: ignored', 'bytes=abc', 200, undefined],
      ['reversed: ignored', 'bytes=10-5', 200, undefined],
      ['another unit: ignored', 'items=0-5', 200, undefined],
      ['spaces tolerated', 'bytes= 10-19', 206, [10, 19]],
    ];
    it.each(cases)('%s (%s) → %i, bytes identical to the stored file', async (_n, range, status, bytes) => {
      const res = await media(range ? { range } : {});
      expect(res.status).toBe(status);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      const body = Buffer.from(await res.arrayBuffer());
      if (status === 416) {
        expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
        return;
      }
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('etag')).toMatch(/^".+"$/);
      const [start, end] = bytes ?? [0, size - 1];
      expect(res.headers.get('content-length')).toBe(String(end - start + 1));
      if (status === 206) expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(body.equals(wav.subarray(start, end + 1))).toBe(true);
    });

    it('HEAD answers the headers of GET with no body', async () => {
      const res = await media({ range: 'bytes=10-19' }, 'HEAD');
      expect(res.status).toBe(206);
      expect(res.headers.get('content-length')).toBe('10');
      expect(res.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      const whole = await media({}, 'HEAD');
      expect([whole.status, whole.headers.get('content-length')]).toEqual([200, String(size)]);
    });

    it('If-Range with the current ETag gives 206, with a stale one the whole file (200)', async () => {
      const etag = (await media({}, 'HEAD')).headers.get('etag')!;
      expect((await media({ range: 'bytes=0-9', 'if-range': etag }, 'HEAD')).status).toBe(206);
      expect((await media({ range: 'bytes=0-9', 'if-range': '"stale"' }, 'HEAD')).status).toBe(200);
    });

    it('refuses expired and tampered links with 403', async () => {
      const signer = createMediaUrlSigner(SIGNING_KEY);
      const target = { externalAccountId: 'acc-1', externalId: 'call-1' };
      const expired = signer.pathFor(target, Math.floor(Date.now() / 1000) - 1);
      const res = await fetch(r.url + expired);
      expect(res.status).toBe(403);
      expect((await res.json()).message).toMatch(/expired/);

      const valid = signer.pathFor(target, Math.floor(Date.now() / 1000) + 60);
      expect((await fetch(r.url + valid)).status).toBe(200);
      const tampered = [
        valid.replace('/acc-1/', '/acc-2/'),
        valid.replace('/call-1', '/call-2'),
        valid.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 3600}`),
        valid.replace(/signature=(.)/, (_m, c) => `signature=${c === 'A' ? 'B' : 'A'}`),
        valid.replace(/&signature=.*/, ''),
        createMediaUrlSigner('z'.repeat(40)).pathFor(target, Math.floor(Date.now() / 1000) + 60),
      ];
      for (const link of tampered) {
        const t = await fetch(r.url + link);
        expect(t.status, link).toBe(403);
        expect((await t.json()).message).toMatch(/not valid/);
      }
    });

    it('a valid link to a recording removed since answers 404', async () => {
      await upload(r, 'gone', makeWav(100));
      const signer = createMediaUrlSigner(SIGNING_KEY);
      const link = signer.pathFor({ externalAccountId: 'acc-1', externalId: 'gone' }, Date.now() / 1000 + 60);
      expect(await r.system.recordings.remove('acc-1', 'gone')).toBe(true);
      expect((await fetch(r.url + link)).status).toBe(404);
    });
  });
});

describe('HubSpot request signature (client secret configured)', () => {
  let r: Running;
  const secret = 'client-secret-123';
  beforeAll(async () => {
    r = await start({ CALLSCRIBE_APP_CLIENT_SECRET: secret });
    expect((await upload(r, 'call-1', makeWav(1000))).status).toBe(201);
  });
  afterAll(() => r.stop());

  const signed = (opts: { key?: string; now?: number; signUrl?: string; body?: string } = {}) => {
    const url = `${r.url}/app/v1/recordings/call-1?externalAccountId=acc-1&appId=42`;
    const headers = hubSpotSignatureHeadersV3(
      opts.key ?? secret,
      { method: 'GET', uri: opts.signUrl ?? url, body: opts.body ?? '' },
      opts.now ?? Date.now(),
    );
    return fetch(url, { headers });
  };

  it('a valid signature → 200', async () => {
    const res = await signed();
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('authenticatedUrl');
  });
  it.each([
    ['wrong secret', { key: 'another-secret' }, /does not match/],
    ['stale timestamp (6 minutes old)', { now: Date.now() - 6 * 60_000 }, /seconds away/],
    [
      'altered URL',
      { signUrl: 'http://127.0.0.1:1/app/v1/recordings/call-2?externalAccountId=acc-1&appId=42' },
      /does not match/,
    ],
    ['altered body', { body: '{"x":1}' }, /does not match/],
  ])('%s → 401', async (_name, opts, message) => {
    const res = await signed(opts);
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(message);
  });
  it('no signature at all → 401', async () => {
    const res = await fetch(`${r.url}/app/v1/recordings/call-1?externalAccountId=acc-1&appId=42`);
    expect(res.status).toBe(401);
  });
  it('the public URL is accepted as the signed URI too', async () => {
    const pub = `${r.system.config.publicUrl}/app/v1/recordings/call-1?externalAccountId=acc-1&appId=42`;
    const headers = hubSpotSignatureHeadersV3(secret, { method: 'GET', uri: pub });
    const res = await fetch(`${r.url}/app/v1/recordings/call-1?externalAccountId=acc-1&appId=42`, {
      headers,
    });
    expect(res.status).toBe(200);
  });
});
