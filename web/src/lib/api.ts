/**
 * The UI's only door to the server: callscribe's public APIs (the HubSpot-compatible CRM API, the
 * app backend's recording endpoint, the pipeline's status API), each called with the Bearer token
 * the user signed in with.
 */

export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tickets';
export const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals', 'tickets'];

/** HubSpot's `SimplePublicObject`: every property value is a string (or null when unset). */
export interface CrmObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: string;
  updatedAt?: string;
}

export interface Owner {
  id: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** callscribe's extra field: sales | service | core | none. */
  seat?: string;
}

export interface Speaker {
  id: string;
  name: string;
  email?: string;
}

export interface TimedWord {
  text: string;
  startTimeMillis: number;
  endTimeMillis: number;
}

export interface TranscriptUtterance {
  id?: string;
  speaker?: Speaker;
  text: string;
  languageCode?: string;
  startTimeMillis: number;
  endTimeMillis: number;
  /** Present when the engine kept word timings (callscribe's own transcripts); else interpolated. */
  words?: TimedWord[];
  channel?: number;
}

export interface Transcript {
  id: string;
  engagementId: number | string;
  transcriptSource?: string;
  transcriptUtterances: TranscriptUtterance[];
  createdAt?: string;
}

export interface SpeakerAnalytics {
  channel?: number;
  speaker: Speaker;
  talkTimeMillis: number;
  talkRatio: number;
  longestMonologueMillis: number;
  interruptions: number;
  wordsPerMinute: number;
  wordCount?: number;
}

export interface CallAnalytics {
  durationMillis: number;
  silenceMillis?: number;
  speakers: SpeakerAnalytics[];
}

/** `none`: the pipeline was never asked about this call (its `reason` says why not). */
export type PipelineState = 'none' | 'queued' | 'fetching' | 'transcribing' | 'done' | 'failed';

/** The pipeline's view of one call (`GET /callscribe/v1/calls/{id}/transcription`). */
export interface TranscriptionStatus {
  state: PipelineState | string;
  reason?: string | null;
  /** The AppError code behind `reason` (`E_AUDIO_MONO`, `E_NO_PAID_SEAT`, …). */
  errorCode?: string | null;
  /** True while a transient failure waits for its next attempt. */
  retrying?: boolean;
  analytics?: CallAnalytics | null;
  transcriptId?: string | null;
  attempts?: number;
  updatedAt?: string;
}

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

export interface Page<T> {
  results: T[];
  total?: number;
  paging?: { next?: { after: string } };
}

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

/**
 * Follows the pipeline's server-sent events for a call. EventSource cannot send a Bearer header,
 * so the stream is read with fetch; when streaming is unavailable it falls back to polling.
 * Returns a function that stops listening.
 */
export function watchTranscription(
  callId: string,
  onStatus: (status: TranscriptionStatus) => void,
): () => void {
  const controller = new AbortController();
  let stopped = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    if (stopped) return;
    try {
      const status = await getTranscriptionStatus(callId);
      if (status) onStatus(status);
      if (status && (status.state === 'done' || status.state === 'failed' || status.state === 'none')) return;
    } catch {
      // Transient: try again on the next tick.
    }
    pollTimer = setTimeout(poll, 2000);
  };
  (async () => {
    const token = storedToken();
    const response = await fetch(`/callscribe/v1/calls/${encodeURIComponent(callId)}/transcription/events`, {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
    });
    if (
      !response.ok ||
      !response.body ||
      !response.headers.get('content-type')?.includes('text/event-stream')
    ) {
      throw new Error('no event stream');
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) {
          try {
            onStatus(JSON.parse(data) as TranscriptionStatus);
          } catch {
            // A comment or keep-alive, not a status.
          }
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => {
    if (!stopped) void poll();
  });
  return () => {
    stopped = true;
    controller.abort();
    if (pollTimer) clearTimeout(pollTimer);
  };
}
