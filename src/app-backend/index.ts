/**
 * The calling-app backend (issue 4): recording store, the authenticated-URL endpoint HubSpot
 * calls, signed seekable media, and (in hubspot-sync/) the client that registers and logs calls.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { bearerToken } from '../crm/auth/require-token.js';
import type { TokenStore } from '../crm/auth/token-store.js';
import type { Queryable } from '../storage/db/index.js';
import { appBackendRoutes } from './recording-routes.js';
import { createRecordingService, type RecordingService } from './recording-service.js';
import { createMediaUrlSigner } from './signed-url.js';
import { loadUrlSigningKey } from './signing-key.js';

export {
  createRecordingService,
  type Recording,
  type RecordingService,
  recordingKey,
} from './recording-service.js';
export { createMediaUrlSigner, type MediaUrlSigner } from './signed-url.js';

export interface AppBackendDeps {
  config: Config;
  db: Queryable;
  blobs: BlobStore;
  tokens: TokenStore;
  /** The server's admin secret, which the CLI uploads with. */
  adminSecret: string;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Builds the recording service and mounts the app-backend routes on `app`. */
export async function registerAppBackend(
  app: FastifyInstance,
  deps: AppBackendDeps,
): Promise<RecordingService> {
  const { config } = deps;
  const recordings = createRecordingService({
    db: deps.db,
    blobs: deps.blobs,
    maxBytes: config.appBackend.uploadLimitBytes,
  });
  const signer = createMediaUrlSigner(
    await loadUrlSigningKey(config.dataDir, config.appBackend.urlSigningKey),
  );
  const authorizeUpload = async (request: FastifyRequest) => {
    const token = bearerToken(request);
    if (token && sameSecret(token, deps.adminSecret)) return;
    if (token && (await deps.tokens.verify(token)) === 'private_app') return;
    throw new AppError(
      'E_UNAUTHORIZED',
      'Uploading a recording needs Authorization: Bearer <private-app token> (npx callscribe token create).',
    );
  };
  await app.register(appBackendRoutes, {
    recordings,
    blobs: deps.blobs,
    signer,
    publicUrl: config.publicUrl,
    ttlSeconds: config.appBackend.signedUrlTtlSeconds,
    clientSecret: config.appBackend.clientSecret,
    uploadLimitBytes: config.appBackend.uploadLimitBytes,
    authorizeUpload,
  });
  return recordings;
}
