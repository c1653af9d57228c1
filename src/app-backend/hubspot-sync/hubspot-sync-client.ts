/**
 * The calling app's side of HubSpot's recording flow (seed, "Recordings and transcripts"; reference
 * section 3): register the authenticated-URL template, log calls with the `hs_call_*` properties,
 * associate them, mark recordings ready; plus the legacy public `hs_call_recording_url` path.
 * Works against `https://api.hubapi.com` and against callscribe's own CRM server alike.
 *
 * Idempotency: logging a call first searches for a call with the same (app id, external account
 * id, external id) and returns it instead of creating a second one; a create that fails in a
 * retryable way goes back to that search before trying again, so a retry never logs a duplicate
 * even when the lost answer was a success. Everything else is naturally idempotent (PUT, PATCH,
 * mark-ready).
 */
import { AppError } from '../../core/errors.js';
import {
  type AttemptInfo,
  DEFAULT_RETRY,
  fetchWithRetry,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  sleep,
} from './http-retry.js';

/** The objects a call can be associated with, and the HubSpot-defined call→object type ids (reference section 6). */
export const CALL_ASSOCIATION_TYPES = { contact: 194, company: 182, deal: 206, ticket: 220 } as const;
export type CallAssociationTarget = keyof typeof CALL_ASSOCIATION_TYPES;

export const LEGACY_RECORDING_WARNING =
  'hs_call_recording_url logs the recording without authentication: anyone with the URL can play it. ' +
  'Prefer the authenticated flow (register a URL template, log with hs_call_external_id).';

export interface HubSpotSyncOptions {
  /** Default `https://api.hubapi.com` (config `HUBSPOT_BASE_URL`). */
  baseUrl?: string;
  /** Private-app or OAuth token: calls, associations, mark-ready. */
  accessToken?: string;
  /** Developer API key (`hapikey`): the recording-settings API. */
  developerApiKey?: string;
  retry?: Partial<RetryPolicy>;
  /** Called before each retry (for logs). */
  onRetry?: (info: AttemptInfo & { method: string; path: string }) => void;
  /** Called with warnings (the legacy path). Default: none. */
  onWarning?: (message: string) => void;
  fetch?: typeof fetch;
}

export interface CallInput {
  appId: string;
  externalAccountId: string;
  externalId: string;
  /** When the call happened (`hs_timestamp`). Default now. */
  timestamp?: Date | string;
  title?: string;
  /** Notes (`hs_call_body`). */
  body?: string;
  durationMs?: number;
  fromNumber?: string;
  toNumber?: string;
  /** Default `COMPLETED`. */
  status?: string;
  direction?: 'INBOUND' | 'OUTBOUND';
  ownerId?: string;
  /** Any further properties, sent as given. */
  properties?: Record<string, string>;
  /** Associated in the same request (inline associations, reference section 5). */
  associations?: Array<{ to: CallAssociationTarget; id: string }>;
}

export interface LegacyCallInput extends Omit<CallInput, 'appId' | 'externalAccountId' | 'externalId'> {
  /** A public HTTPS URL of the recording. */
  recordingUrl: string;
}

export interface LoggedCall {
  id: string;
  /** False when an existing call with the same external ids was found and returned. */
  created: boolean;
  properties: Record<string, string | null>;
}

/** The `hs_call_*` properties of the seed's example request, for an authenticated recording. */
export function callProperties(input: CallInput): Record<string, string> {
  return {
    ...baseProperties(input),
    hs_call_source: 'INTEGRATIONS_PLATFORM',
    hs_call_app_id: input.appId,
    hs_call_external_id: input.externalId,
    hs_call_external_account_id: input.externalAccountId,
  };
}

function baseProperties(
  input: Omit<CallInput, 'appId' | 'externalAccountId' | 'externalId'>,
): Record<string, string> {
  const ts = input.timestamp ?? new Date();
  const props: Record<string, string> = {
    hs_timestamp: typeof ts === 'string' ? ts : ts.toISOString(),
    hs_call_status: input.status ?? 'COMPLETED',
  };
  const optional: Array<[string, string | number | undefined]> = [
    ['hs_call_title', input.title],
    ['hs_call_body', input.body],
    ['hs_call_duration', input.durationMs],
    ['hs_call_from_number', input.fromNumber],
    ['hs_call_to_number', input.toNumber],
    ['hs_call_direction', input.direction],
    ['hubspot_owner_id', input.ownerId],
  ];
  for (const [name, value] of optional) if (value !== undefined) props[name] = String(value);
  return { ...props, ...input.properties };
}

export class HubSpotSyncClient {
  readonly baseUrl: string;
  readonly #o: HubSpotSyncOptions;
  readonly #retry: RetryPolicy;
  readonly #fetch: typeof fetch;

  constructor(options: HubSpotSyncOptions = {}) {
    this.#o = options;
    this.baseUrl = (options.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#fetch = options.fetch ?? fetch;
  }

  async #request<T>(
    method: string,
    path: string,
    options: { body?: unknown; auth: 'bearer' | 'hapikey'; ok: number[]; retry?: boolean },
  ): Promise<{ status: number; json: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let url = this.baseUrl + path;
    if (options.auth === 'bearer') {
      if (!this.#o.accessToken) throw missing('an access token', '--access-token or HUBSPOT_ACCESS_TOKEN');
      headers['authorization'] = `Bearer ${this.#o.accessToken}`;
    } else {
      if (!this.#o.developerApiKey)
        throw missing('a developer API key', '--hapikey or HUBSPOT_DEVELOPER_API_KEY');
      url += `${url.includes('?') ? '&' : '?'}hapikey=${encodeURIComponent(this.#o.developerApiKey)}`;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const init = {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    };
    const policy = options.retry === false ? { ...this.#retry, retries: 0 } : this.#retry;
    let response: Response;
    try {
      response = await fetchWithRetry(this.#fetch, url, init, policy, (info) =>
        this.#o.onRetry?.({ ...info, method, path }),
      );
    } catch (error) {
      throw new AppError('E_UNAVAILABLE', `${this.baseUrl} did not answer ${method} ${path}.`, {
        cause: error,
      });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!options.ok.includes(response.status)) throw apiError(method, path, response, json);
    return { status: response.status, json: json as T };
  }

  /** The registered URL template of `appId`, or undefined when none is registered (404). */
  async getRecordingUrl(appId: string): Promise<string | undefined> {
    try {
      const { json } = await this.#request<{ urlToRetrieveAuthedRecording: string }>(
        'GET',
        `/crm/v3/extensions/calling/${encodeURIComponent(appId)}/settings/recording`,
        { auth: 'hapikey', ok: [200] },
      );
      return json.urlToRetrieveAuthedRecording;
    } catch (error) {
      if (error instanceof AppError && error.extra['upstreamStatus'] === 404) return undefined;
      throw error;
    }
  }

  /**
   * Registers (POST) or updates (PATCH) the URL HubSpot calls for authenticated recording URLs;
   * `%s` stands for the call's externalId. Does nothing when it is already registered as given.
   */
  async registerRecordingUrl(
    appId: string,
    urlTemplate: string,
  ): Promise<{ action: 'created' | 'updated' | 'unchanged' }> {
    if (!urlTemplate.includes('%s')) {
      throw new AppError('E_VALIDATION', `The URL template must contain %s (the externalId): ${urlTemplate}`);
    }
    const current = await this.getRecordingUrl(appId);
    if (current === urlTemplate) return { action: 'unchanged' };
    const path = `/crm/v3/extensions/calling/${encodeURIComponent(appId)}/settings/recording`;
    const body = { urlToRetrieveAuthedRecording: urlTemplate };
    await this.#request(current === undefined ? 'POST' : 'PATCH', path, { body, auth: 'hapikey', ok: [200] });
    return { action: current === undefined ? 'created' : 'updated' };
  }

  /** The live call logged with these external ids, if any. */
  async findCall(
    appId: string,
    externalAccountId: string,
    externalId: string,
  ): Promise<LoggedCall | undefined> {
    return this.#findOne([
      ['hs_call_app_id', appId],
      ['hs_call_external_account_id', externalAccountId],
      ['hs_call_external_id', externalId],
    ]);
  }

  async #findOne(filters: Array<[string, string]>): Promise<LoggedCall | undefined> {
    const { json } = await this.#request<{
      results: Array<{ id: string; properties: Record<string, string | null> }>;
    }>('POST', '/crm/v3/objects/calls/search', {
      auth: 'bearer',
      ok: [200],
      body: {
        filterGroups: [
          { filters: filters.map(([propertyName, value]) => ({ propertyName, operator: 'EQ', value })) },
        ],
        properties: ['hs_call_external_id', 'hs_call_external_account_id', 'hs_call_app_id', 'hs_call_title'],
        limit: 1,
      },
    });
    const hit = json.results?.[0];
    return hit ? { id: String(hit.id), created: false, properties: hit.properties } : undefined;
  }

  /**
   * Logs a call for an authenticated recording (`hs_call_source` INTEGRATIONS_PLATFORM with the app
   * id and external ids), associated inline with `input.associations`. Returns the existing call
   * instead when one with the same external ids is already logged.
   */
  async logCall(input: CallInput): Promise<LoggedCall> {
    return this.#createOnce(callProperties(input), input.associations, () =>
      this.findCall(input.appId, input.externalAccountId, input.externalId),
    );
  }

  /**
   * The legacy path: logs a call with a public `hs_call_recording_url` and no external ids. The
   * recording is then playable by anyone holding the URL; a warning says so (`onWarning`).
   */
  async logLegacyCall(input: LegacyCallInput): Promise<LoggedCall & { warning: string }> {
    this.#o.onWarning?.(LEGACY_RECORDING_WARNING);
    const properties = { ...baseProperties(input), hs_call_recording_url: input.recordingUrl };
    const call = await this.#createOnce(properties, input.associations, () =>
      this.#findOne([['hs_call_recording_url', input.recordingUrl]]),
    );
    return { ...call, warning: LEGACY_RECORDING_WARNING };
  }

  async #createOnce(
    properties: Record<string, string>,
    associations: CallInput['associations'],
    find: () => Promise<LoggedCall | undefined>,
  ): Promise<LoggedCall> {
    const body = {
      properties,
      associations: (associations ?? []).map((a) => ({
        to: { id: a.id },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: CALL_ASSOCIATION_TYPES[a.to] }],
      })),
    };
    for (let attempt = 0; ; attempt++) {
      const existing = await find();
      if (existing) return existing;
      try {
        // Not retried inside: a lost success must be found by the search above, not created twice.
        const { json } = await this.#request<{ id: string; properties: Record<string, string | null> }>(
          'POST',
          '/crm/v3/objects/calls',
          { body, auth: 'bearer', ok: [201], retry: false },
        );
        return { id: String(json.id), created: true, properties: json.properties };
      } catch (error) {
        const status =
          error instanceof AppError ? (error.extra['upstreamStatus'] as number | undefined) : undefined;
        const retryable =
          error instanceof AppError &&
          (error.code === 'E_UNAVAILABLE' || (status !== undefined && isRetryableStatus(status)));
        if (!retryable || attempt >= this.#retry.retries) throw error;
        const retryAfter =
          error instanceof AppError
            ? parseRetryAfter((error.extra['retryAfter'] as string) ?? null)
            : undefined;
        const waitMs = retryDelay(this.#retry, attempt, retryAfter);
        this.#o.onRetry?.({
          attempt: attempt + 1,
          status,
          error,
          waitMs,
          method: 'POST',
          path: '/crm/v3/objects/calls',
        });
        await sleep(waitMs);
      }
    }
  }

  /**
   * Associates a call with a contact, company, deal or ticket using the HubSpot-defined type
   * (reference section 6). `api: 'v4'` (default) is the labelled PUT `@hubspot/api-client` uses;
   * `api: 'v3'` is the per-object path the seed documents
   * (`PUT /crm/v3/objects/calls/{callId}/associations/{toObjectType}/{toObjectId}/{associationType}`).
   * Both are idempotent.
   */
  async associate(
    callId: string,
    to: CallAssociationTarget,
    toId: string,
    options: { api?: 'v3' | 'v4' } = {},
  ): Promise<void> {
    const typeId = CALL_ASSOCIATION_TYPES[to];
    const call = encodeURIComponent(callId);
    const target = encodeURIComponent(toId);
    if (options.api === 'v3') {
      await this.#request('PUT', `/crm/v3/objects/calls/${call}/associations/${to}/${target}/${typeId}`, {
        auth: 'bearer',
        ok: [200, 201, 204],
      });
      return;
    }
    const toType = to === 'company' ? 'companies' : `${to}s`;
    await this.#request('PUT', `/crm/v4/objects/calls/${call}/associations/${toType}/${target}`, {
      auth: 'bearer',
      ok: [200, 201],
      body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
    });
  }

  /** Tells HubSpot the call's recording can be fetched and transcribed (204). */
  async markReady(callId: string): Promise<void> {
    if (!/^\d+$/.test(callId))
      throw new AppError('E_VALIDATION', `The call id must be a number, not "${callId}".`);
    await this.#request('POST', '/crm/v3/extensions/calling/recordings/ready', {
      auth: 'bearer',
      ok: [204],
      body: { engagementId: Number(callId) },
    });
  }
}

function missing(what: string, how: string): AppError {
  return new AppError('E_VALIDATION', `This request needs ${what}: pass ${how}.`);
}

function apiError(method: string, path: string, response: Response, json: unknown): AppError {
  const body = (json ?? {}) as { message?: string; correlationId?: string; category?: string };
  const detail = body.message ? `: ${body.message}` : '';
  const correlation = body.correlationId ? ` (correlationId ${body.correlationId})` : '';
  return new AppError(
    'E_HUBSPOT_API',
    `HubSpot answered ${response.status} to ${method} ${path}${detail}${correlation}.`,
    {
      extra: {
        upstreamStatus: response.status,
        upstreamCategory: body.category,
        retryAfter: response.headers.get('retry-after') ?? undefined,
      },
    },
  );
}

/** Creates the sync client. */
export function createHubSpotSyncClient(options: HubSpotSyncOptions = {}): HubSpotSyncClient {
  return new HubSpotSyncClient(options);
}
