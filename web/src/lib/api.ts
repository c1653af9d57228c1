/**
 * The UI's only door to the server: callscribe's public APIs (the HubSpot-compatible CRM API, the
 * app backend's recording endpoint, the pipeline's status API), each called with the Bearer token
 * the user signed in with.
 */

import type { CrmObject, ObjectType, Owner, Page, Transcript, TranscriptionStatus } from './api-types.ts';

export type * from './api-types.ts';

export const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals', 'tickets'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly category?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'callscribe.token';

export function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized: () => void = () => undefined;
/** Called when the server refuses the token (401): the app returns to sign-in. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  token = storedToken(),
  markArrival?: string,
  /** False where a 401 says something other than "your token is refused" (the app's own endpoint). */
  signOutOn401 = true,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  // The UI's speed is measured from the moment the data has arrived (bench/ui-transcript.ts).
  if (markArrival) performance.mark(markArrival);
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const err = (data ?? {}) as { message?: string; category?: string };
    if (response.status === 401 && signOutOn401) onUnauthorized();
    throw new ApiError(
      response.status,
      err.message ?? `${method} ${path} answered ${response.status}`,
      err.category,
    );
  }
  return data as T;
}

/** Checks a pasted token by reading one owner page; throws ApiError(401) when it is refused. */
export async function verifyToken(token: string): Promise<void> {
  await request('GET', '/crm/v3/owners?limit=1', undefined, token);
}

/** The dev-mode session (loopback clients only): a token handed to the page, or null. */
export async function devSession(): Promise<string | null> {
  try {
    const response = await fetch('/ui/session', { headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const data = (await response.json()) as { token?: string };
    return data.token ?? null;
  } catch {
    return null;
  }
}

/** The properties the UI shows for each record type (HubSpot's defaults plus phone numbers). */
export const RECORD_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain', 'phone', 'city'],
  deals: ['dealname', 'amount', 'dealstage', 'closedate'],
  tickets: ['subject', 'content', 'hs_ticket_priority', 'hs_pipeline_stage'],
};

export const CALL_PROPERTIES = [
  'hs_call_title',
  'hs_call_direction',
  'hs_call_status',
  'hubspot_owner_id',
  'hs_call_duration',
  'hs_timestamp',
  'hs_call_has_transcript',
  'hs_call_transcription_id',
  'hs_call_external_id',
  'hs_call_external_account_id',
  'hs_call_app_id',
  'hs_call_recording_url',
  'hs_call_from_number',
  'hs_call_to_number',
];

const qs = (params: Record<string, string | string[] | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  return search.toString();
};

/** A page of records; with a query, HubSpot's search (`query` matches the default searchable properties). */
export function listRecords(type: ObjectType, query: string, after?: string): Promise<Page<CrmObject>> {
  const properties = RECORD_PROPERTIES[type];
  if (query.trim()) {
    return request('POST', `/crm/v3/objects/${type}/search`, {
      query: query.trim(),
      properties,
      limit: 50,
      after,
    });
  }
  return request('GET', `/crm/v3/objects/${type}?${qs({ limit: '50', after, properties })}`);
}

export function getRecord(type: ObjectType, id: string): Promise<CrmObject> {
  return request(
    'GET',
    `/crm/v3/objects/${type}/${encodeURIComponent(id)}?${qs({ properties: RECORD_PROPERTIES[type] })}`,
  );
}

interface V4Association {
  toObjectId: number | string;
}

/** The calls associated with a record (v4 associations, then one batch read), newest first. */
export async function getRecordCalls(type: ObjectType, id: string): Promise<CrmObject[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await request<Page<V4Association>>(
      'GET',
      `/crm/v4/objects/${type}/${encodeURIComponent(id)}/associations/calls?${qs({ limit: '500', after })}`,
    );
    for (const a of page.results) ids.push(String(a.toObjectId));
    after = page.paging?.next?.after;
  } while (after && ids.length < 2000);
  const calls: CrmObject[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const batch = await request<Page<CrmObject>>('POST', '/crm/v3/objects/calls/batch/read', {
      inputs: ids.slice(i, i + 100).map((callId) => ({ id: callId })),
      properties: CALL_PROPERTIES,
      propertiesWithHistory: [],
    });
    calls.push(...batch.results);
  }
  return calls.sort((a, b) => callTime(b) - callTime(a));
}

/** The call's timeline position in epoch ms (`hs_timestamp` is ISO or epoch ms). */
export function callTime(call: CrmObject): number {
  const raw = call.properties['hs_timestamp'] ?? call.createdAt ?? '';
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(n) ? n : 0;
}

export function getCall(id: string): Promise<CrmObject> {
  return request(
    'GET',
    `/crm/v3/objects/calls/${encodeURIComponent(id)}?${qs({ properties: CALL_PROPERTIES })}`,
  );
}

let ownersPromise: Promise<Map<string, Owner>> | undefined;
/** All owners by id, fetched once per page load. */
export function getOwners(): Promise<Map<string, Owner>> {
  ownersPromise ??= (async () => {
    const owners = new Map<string, Owner>();
    let after: string | undefined;
    do {
      const page = await request<Page<Owner>>('GET', `/crm/v3/owners?${qs({ limit: '100', after })}`);
      for (const o of page.results) owners.set(String(o.id), o);
      after = page.paging?.next?.after;
    } while (after);
    return owners;
  })().catch((error) => {
    ownersPromise = undefined;
    throw error;
  });
  return ownersPromise;
}

export function getTranscript(id: string): Promise<Transcript> {
  return request(
    'GET',
    `/crm/v3/extensions/calling/transcripts/${encodeURIComponent(id)}`,
    undefined,
    undefined,
    'transcript-data-arrived',
  );
}

/** The pipeline's state for a call, or null when the pipeline knows nothing about it (404). */
export async function getTranscriptionStatus(callId: string): Promise<TranscriptionStatus | null> {
  try {
    return await request<TranscriptionStatus>(
      'GET',
      `/callscribe/v1/calls/${encodeURIComponent(callId)}/transcription`,
    );
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
}

export function retryTranscription(callId: string): Promise<TranscriptionStatus | undefined> {
  return request('POST', `/callscribe/v1/calls/${encodeURIComponent(callId)}/transcription/retry`, {});
}

/**
 * "The timeline shows this call without a transcript": asks the pipeline to transcribe it. The
 * pipeline queues a call once, so repeating this is harmless.
 */
export function requestTranscription(callId: string): Promise<TranscriptionStatus> {
  return request('POST', `/callscribe/v1/calls/${encodeURIComponent(callId)}/transcription`, {});
}

/**
 * Where the browser can stream the call's audio from: the app backend's authenticated (signed,
 * Range-capable) URL for calls with external ids, else a legacy `hs_call_recording_url`.
 */
export async function getRecordingUrl(call: CrmObject): Promise<string | null> {
  const p = call.properties;
  const externalId = p['hs_call_external_id'];
  if (externalId) {
    const query = qs({
      externalAccountId: p['hs_call_external_account_id'] ?? undefined,
      appId: p['hs_call_app_id'] ?? undefined,
    });
    let data: { authenticatedUrl?: string } | undefined;
    try {
      const path = `/app/v1/recordings/${encodeURIComponent(externalId)}?${query}`;
      data = await request('GET', path, undefined, undefined, undefined, false);
    } catch (error) {
      // An app that demands HubSpot's request signature refuses the browser (which cannot sign):
      // then callscribe resolves the URL server-side, as HubSpot's own UI does.
      if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) throw error;
      data = await request('GET', `/ui/api/calls/${encodeURIComponent(call.id)}/recording`);
    }
    if (data?.authenticatedUrl) return data.authenticatedUrl;
  }
  return p['hs_call_recording_url'] || null;
}

export { watchTranscription } from './transcription-events.ts';
