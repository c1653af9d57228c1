/**
 * The composition root: the only place that decides which adapters run. Everything else receives
 * its dependencies. `createCallscribe()` builds the whole system without listening.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin/admin-routes.js';
import { type RecordingService, registerAppBackend } from './app-backend/index.js';
import { registerTranscriptionApi } from './audio/index.js';
import type { Config } from './config.js';
import type { BlobStore } from './core/ports/blob-store.js';
import { requireToken } from './crm/auth/require-token.js';
import { createTokenStore, type TokenStore } from './crm/auth/token-store.js';
import { type Crm, type CrmEvents, createCrm, registerCrmRoutes } from './crm/index.js';
import { createOwnerStore, type OwnerStore } from './crm/owners/owner-store.js';
import { buildHttpServer } from './http/build-http-server.js';
import { type HomeLink, registerHomePage } from './http/home-page.js';
import {
  createPipelineCrm,
  openTranscriptionPipeline,
  type PipelineRuntime,
  registerPipelineRoutes,
  subscribeToCrmEvents,
} from './pipeline/index.js';
import { createBlobStore } from './storage/blob/index.js';
import { type Database, openDatabase } from './storage/db/index.js';
import { createRecordingUrlResolver, registerUi } from './ui/index.js';

export interface Callscribe {
  config: Config;
  app: FastifyInstance;
  db: Database;
  owners: OwnerStore;
  tokens: TokenStore;
  /** The HubSpot-compatible CRM's stores (calls, settings, transcripts), usable without HTTP. */
  crm: Crm;
  /** CRM events: `call.created`, `call.updated`, `recording.ready` (emitted after commit). */
  events: CrmEvents;
  /** Where recording bytes live (local disk or S3, from config). */
  blobs: BlobStore;
  /** The calling-app backend's recordings (upload, lookup for the authenticated-URL endpoint). */
  recordings: RecordingService;
  /** The secret the admin API (and so the CLI) authenticates with; new on every start. */
  adminSecret: string;
  /** The transcription pipeline: triggers and status API are live; `start()` takes jobs in this process. */
  transcription: PipelineRuntime;
  close(): Promise<void>;
}

export interface CreateOptions {
  /** Use this database instead of opening one from config (tests pass their own schema). */
  db?: Database;
  /** Use this blob store instead of the configured one. */
  blobs?: BlobStore;
}

export async function createCallscribe(config: Config, options: CreateOptions = {}): Promise<Callscribe> {
  const db = options.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const owners = createOwnerStore(db);
  const tokens = createTokenStore(db);
  const adminSecret = randomBytes(24).toString('base64url');
  const app = buildHttpServer({ logLevel: config.logLevel });
  const blobs = options.blobs ?? (await createBlobStore(config.blobStore));
  const crm = createCrm(db, {
    devMode: config.devMode,
    onListenerError: (err, event) => app.log.error({ err, event }, 'CRM event listener failed'),
    // On PostgreSQL the record cache LISTENs there for other processes' writes.
    databaseUrl: config.databaseUrl,
    onCacheError: (err) => app.log.warn({ err }, 'CRM record cache is off until LISTEN reconnects'),
  });

  const links: HomeLink[] = [
    { href: '/crm/v3/owners', label: 'CRM API', note: 'HubSpot-compatible, Bearer token required' },
    {
      href: '/app/v1',
      label: 'Calling-app recording backend',
      note: 'GET /app/v1/recordings/{externalId}?externalAccountId=&appId= answers {"authenticatedUrl"}',
    },
    { href: '/ui/', label: 'Record timeline', note: 'calls, recordings and transcripts in the browser' },
  ];
  registerHomePage(app, () => links);
  registerAdminRoutes(app, { adminSecret, owners, tokens });
  registerCrmRoutes(app, {
    db,
    crm,
    tokens,
    owners,
    publicUrl: config.publicUrl,
    rateLimit: { perTenSeconds: config.rateLimitPerTenSeconds, daily: config.rateLimitDaily },
  });
  // OpenAI-compatible speech-to-text from the embedded engine (issue 8), private-app token required.
  await registerTranscriptionApi(app, {
    maxFileBytes: config.asr.apiUploadLimitBytes,
    authorize: requireToken(tokens),
  });
  const recordings = await registerAppBackend(app, { config, db, blobs, tokens, adminSecret });
  registerUi(app, {
    tokens,
    devMode: config.devMode,
    // For apps that demand HubSpot's request signature, which the browser cannot make.
    resolveRecordingUrl: createRecordingUrlResolver({
      crm: createPipelineCrm({ crm, owners }),
      clientSecret: config.appBackend.clientSecret,
      devMode: config.devMode,
      timeoutMs: config.pipeline.endpointTimeoutMs,
    }),
  });
  const onPipelineError = (err: unknown, context: string) =>
    app.log.error({ err, context }, 'transcription pipeline failed');
  const transcription = await openTranscriptionPipeline(config, {
    db,
    crm: createPipelineCrm({ crm, owners }),
    onError: onPipelineError,
  });
  subscribeToCrmEvents(crm.events, transcription.pipeline, onPipelineError);
  registerPipelineRoutes(app, { pipeline: transcription.pipeline, tokens });

  return {
    config,
    app,
    db,
    owners,
    tokens,
    crm,
    events: crm.events,
    blobs,
    recordings,
    adminSecret,
    transcription,
    async close() {
      await app.close();
      await transcription.close();
      if (!options.blobs) await blobs.close();
      await crm.close();
      if (!options.db) await db.close();
    },
  };
}
