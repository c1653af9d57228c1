/**
 * The HubSpot-compatible CRM: `createCrm(db, …)` builds its stores and event bus (usable without
 * HTTP), `registerCrmRoutes(app, …)` mounts every API family on a Fastify instance.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../storage/db/index.js';
import { registerAssociationRoutes } from './associations/association-routes.js';
import { createCrmAuth } from './auth/crm-auth.js';
import type { TokenStore } from './auth/token-store.js';
import { registerCallingSettingsRoutes } from './calling-settings/calling-settings-routes.js';
import {
  type CallingSettingsStore,
  createCallingSettingsStore,
} from './calling-settings/calling-settings-store.js';
import { type CallStore, createCallStore } from './calls/call-store.js';
import { registerDispositionRoutes } from './calls/disposition-routes.js';
import { type CrmEventName, type CrmEvents, createCrmEvents } from './crm-events.js';
import { createObjectCache } from './objects/object-cache.js';
import { registerObjectRoutes } from './objects/object-routes.js';
import { createObjectStore, type ObjectStore } from './objects/object-store.js';
import { registerOwnerRoutes } from './owners/owner-routes.js';
import type { OwnerStore } from './owners/owner-store.js';
import { registerPropertyRoutes } from './properties/property-routes.js';
import { createRateLimiter } from './rate-limit.js';
import { registerTranscriptRoutes } from './transcripts/transcript-routes.js';
import { createTranscriptStore, type TranscriptStore } from './transcripts/transcript-store.js';

/** Every CRM store, sharing one database and one event bus. */
export interface Crm {
  events: CrmEvents;
  objects: ObjectStore;
  calls: CallStore;
  settings: CallingSettingsStore;
  transcripts: TranscriptStore;
  /** Stops the record cache's LISTEN connection (PostgreSQL). */
  close(): Promise<void>;
}

export interface CreateCrmOptions {
  /** Dev mode accepts `http://` loopback URLs in calling and recording settings. */
  devMode: boolean;
  /** Where listener failures go (default: ignored). */
  onListenerError?: (error: unknown, event: CrmEventName) => void;
  /**
   * PostgreSQL: the server URL, so the record cache can LISTEN for changes made by other
   * processes. Without it the cache stays off on PostgreSQL (PGlite always caches).
   */
  databaseUrl?: string;
  /** Where record-cache connection problems go (the cache is off meanwhile). */
  onCacheError?: (error: unknown) => void;
}

export function createCrm(db: Database, options: CreateCrmOptions): Crm {
  const events = createCrmEvents({ onListenerError: options.onListenerError });
  const cache = createObjectCache(db, { databaseUrl: options.databaseUrl, onError: options.onCacheError });
  const objects = createObjectStore(db, { events, cache });
  return {
    events,
    objects,
    calls: createCallStore(db, objects),
    settings: createCallingSettingsStore(db, { devMode: options.devMode, events }),
    transcripts: createTranscriptStore(db, { events, cache }),
    close: () => cache.close(),
  };
}

export interface CrmRouteDeps {
  db: Database;
  crm: Crm;
  tokens: TokenStore;
  owners: OwnerStore;
  /** The base URL in `Location` headers and paging links. */
  publicUrl: string;
  rateLimit: { perTenSeconds: number; daily: number };
}

/** Mounts the whole CRM API: records, calling settings, associations, properties, owners, transcripts. */
export function registerCrmRoutes(app: FastifyInstance, deps: CrmRouteDeps): void {
  const limiter = createRateLimiter(deps.rateLimit);
  const auth = createCrmAuth({ tokens: deps.tokens, limiter });
  const { crm, db } = deps;
  registerObjectRoutes(app, { db, objects: crm.objects, auth, publicUrl: deps.publicUrl });
  registerAssociationRoutes(app, { db, objects: crm.objects, auth });
  registerPropertyRoutes(app, { auth });
  registerDispositionRoutes(app, { auth });
  registerCallingSettingsRoutes(app, { settings: crm.settings, auth });
  registerTranscriptRoutes(app, { transcripts: crm.transcripts, auth });
  registerOwnerRoutes(app, { owners: deps.owners, tokens: deps.tokens, auth });
}
