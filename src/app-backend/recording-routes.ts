/**
 * The calling app's HTTP face, on callscribe's one port:
 * - `PUT /app/v1/recordings/{externalId}?externalAccountId=&appId=` — upload (Bearer token), streamed;
 * - `GET /app/v1/recordings/{externalId}?externalAccountId=&appId=` — what HubSpot calls (seed:
 *   "Create an endpoint to provide an authenticated recording URL"), v3-signature checked when a
 *   client secret is configured; answers `{ "authenticatedUrl" }`;
 * - `GET|HEAD /app/v1/media/{account}/{id}?expires=&signature=` — the signed, seekable bytes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../core/errors.js';
import {
  REQUEST_TIMESTAMP_HEADER,
  SIGNATURE_V3_HEADER,
  verifyHubSpotRequestV3,
} from '../core/hubspot-signature-v3.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { ifRangeAllows, parseRange } from './byte-range.js';
import { checkId, type RecordingService, recordingKey } from './recording-service.js';
import { expiryFor, type MediaUrlSigner } from './signed-url.js';

export interface AppBackendRouteDeps {
  recordings: RecordingService;
  blobs: BlobStore;
  signer: MediaUrlSigner;
  /** Base of the URLs handed out, e.g. `https://rec.example.com` (config.publicUrl). */
  publicUrl: string;
  /** Lifetime of a media URL in seconds. */
  ttlSeconds: number;
  /** When set, the recording endpoint requires a valid X-HubSpot-Signature-v3. */
  clientSecret: string | undefined;
  /** Largest upload in bytes; a larger Content-Length is refused before reading. */
  uploadLimitBytes: number;
  /** Admits an upload request (Bearer token check); throws E_UNAUTHORIZED otherwise. */
  authorizeUpload(request: FastifyRequest): Promise<void>;
}

type Query = Record<string, string | string[] | undefined>;

function one(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

function requiredParam(query: Query, name: string): string {
  const value = one(query, name);
  if (value === undefined || value === '') {
    throw new AppError('E_VALIDATION', `The query parameter ${name} is required.`, {
      details: [{ message: `${name} is required.`, code: 'REQUIRED', in: name }],
    });
  }
  return checkId(value, name);
}

function checkHubSpotSignature(request: FastifyRequest, deps: AppBackendRouteDeps): void {
  if (!deps.clientSecret) return;
  const header = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  // HubSpot signs the URL it called; behind a proxy that is the public URL, directly it is ours.
  const own = `${request.protocol}://${request.host}${request.url}`;
  const pub = `${deps.publicUrl}${request.url}`;
  const uris = own === pub ? [own] : [own, pub];
  const verdict = verifyHubSpotRequestV3(deps.clientSecret, {
    method: request.method,
    uris,
    body: '',
    timestamp: header(REQUEST_TIMESTAMP_HEADER),
    signature: header(SIGNATURE_V3_HEADER),
  });
  if (!verdict.ok) throw new AppError('E_REQUEST_SIGNATURE_INVALID', verdict.message);
}

async function sendMedia(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppBackendRouteDeps,
  head: boolean,
) {
  const params = request.params as { account: string; id: string };
  const query = request.query as Query;
  const target = { externalAccountId: params.account, externalId: params.id };
  deps.signer.verify(target, one(query, 'expires'), one(query, 'signature'));
  const key = recordingKey(params.account, params.id);
  const rangeHeader = request.headers.range;
  let status = 200;
  const pick = (info: { size: number; etag: string; lastModified: Date }) => {
    const ifRange = request.headers['if-range'];
    if (!ifRangeAllows(Array.isArray(ifRange) ? ifRange[0] : ifRange, info.etag, info.lastModified))
      return undefined;
    const answer = parseRange(rangeHeader, info.size);
    if (answer.kind === 'unsatisfiable') {
      throw new AppError(
        'E_RANGE_NOT_SATISFIABLE',
        `Range ${rangeHeader} lies outside the ${info.size}-byte file.`,
        {
          extra: { size: info.size },
        },
      );
    }
    if (answer.kind === 'partial') status = 206;
    return answer.kind === 'partial' ? answer.range : undefined;
  };
  reply.header('Accept-Ranges', 'bytes').header('Cache-Control', 'private, no-store');
  try {
    if (head) {
      const info = await deps.blobs.head(key);
      if (!info) throw new AppError('E_RECORDING_NOT_FOUND', `Recording ${params.id} is not stored.`);
      const range = pick(info);
      setMediaHeaders(reply, info, range);
      return reply.code(status).send();
    }
    const got = await deps.blobs.get(key, pick);
    setMediaHeaders(reply, got.info, got.range);
    return reply.code(status).send(got.bytes ?? got.body);
  } catch (error) {
    if (error instanceof AppError && error.code === 'E_BLOB_NOT_FOUND') {
      throw new AppError('E_RECORDING_NOT_FOUND', `Recording ${params.id} is not stored.`, { cause: error });
    }
    if (error instanceof AppError && error.code === 'E_RANGE_NOT_SATISFIABLE') {
      reply.header('Content-Range', `bytes */${error.extra['size']}`);
    }
    throw error;
  }
}

function setMediaHeaders(
  reply: FastifyReply,
  info: { size: number; etag: string; lastModified: Date },
  range: { start: number; end: number } | undefined,
): void {
  reply
    .header('Content-Type', 'application/octet-stream')
    .header('ETag', info.etag)
    .header('Last-Modified', info.lastModified.toUTCString())
    .header('Content-Length', String(range ? range.end - range.start + 1 : info.size));
  if (range) reply.header('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
}

/** Mounts the app-backend routes in their own encapsulated context (its own body parsers). */
export async function appBackendRoutes(app: FastifyInstance, deps: AppBackendRouteDeps): Promise<void> {
  // Uploads are raw bytes of any declared type: hand the request stream to the route unread.
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.get('/app/v1', async () => ({
    name: 'callscribe calling-app recording backend',
    endpoints: {
      upload:
        'PUT /app/v1/recordings/{externalId}?externalAccountId=&appId= (Bearer token; WAV, FLAC or MP4 body)',
      authenticatedUrl:
        'GET /app/v1/recordings/{externalId}?externalAccountId=&appId= → {"authenticatedUrl"}',
      media: 'GET|HEAD /app/v1/media/{externalAccountId}/{externalId}?expires=&signature= (Range supported)',
    },
    urlTemplate: `${deps.publicUrl}/app/v1/recordings/%s`,
    signatureRequired: Boolean(deps.clientSecret),
  }));

  app.put('/app/v1/recordings/:externalId', async (request, reply) => {
    await deps.authorizeUpload(request);
    const query = request.query as Query;
    const externalId = checkId((request.params as { externalId: string }).externalId, 'externalId');
    const externalAccountId = requiredParam(query, 'externalAccountId');
    const appId = requiredParam(query, 'appId');
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > deps.uploadLimitBytes) {
      throw new AppError(
        'E_PAYLOAD_TOO_LARGE',
        `The recording is ${declared} bytes; the upload limit is ${deps.uploadLimitBytes} bytes (CALLSCRIBE_UPLOAD_LIMIT_MB).`,
      );
    }
    const body = request.body as AsyncIterable<Uint8Array> | undefined;
    if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
      throw invalid('The request body must be the recording file (WAV, FLAC or MP4).');
    }
    const { recording, created } = await deps.recordings.store({
      externalAccountId,
      externalId,
      appId,
      body,
    });
    reply.code(created ? 201 : 200);
    return recording;
  });

  app.get('/app/v1/recordings/:externalId', async (request) => {
    checkHubSpotSignature(request, deps);
    const query = request.query as Query;
    const externalId = checkId((request.params as { externalId: string }).externalId, 'externalId');
    const externalAccountId = requiredParam(query, 'externalAccountId');
    const appId = requiredParam(query, 'appId');
    await deps.recordings.authorize(externalId, externalAccountId, appId);
    const expiresAt = expiryFor(Date.now(), deps.ttlSeconds);
    return {
      authenticatedUrl: deps.publicUrl + deps.signer.pathFor({ externalAccountId, externalId }, expiresAt),
    };
  });

  app.get('/app/v1/media/:account/:id', { exposeHeadRoute: false }, (request, reply) =>
    sendMedia(request, reply, deps, false),
  );
  app.head('/app/v1/media/:account/:id', (request, reply) => sendMedia(request, reply, deps, true));
}
