/**
 * Seeds a running `callscribe serve` through its public interfaces only (the CLI, the CRM API with
 * a token, the transcripts API, the app backend's upload), for the UI tests and the UI bench.
 */
import { readFile } from 'node:fs/promises';
import { callscribe } from './cli.js';

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    query = '',
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}${query}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** `PUT /app/v1/recordings/{externalId}` — the calling app uploads a recording. */
  async uploadRecording(externalId: string, account: string, appId: string, bytes: Buffer): Promise<void> {
    const query = `?externalAccountId=${encodeURIComponent(account)}&appId=${encodeURIComponent(appId)}`;
    const response = await fetch(
      `${this.baseUrl}/app/v1/recordings/${encodeURIComponent(externalId)}${query}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'audio/wav' },
        body: new Uint8Array(bytes),
      },
    );
    if (!response.ok) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  }
}

/** Issues a private-app token (and, with `developer`, a developer API key) with the CLI. */
export async function issueToken(env: NodeJS.ProcessEnv, developer = false): Promise<string> {
  const attempts = developer ? [['--developer'], ['--developer-api-key']] : [[]];
  for (const flags of attempts) {
    const result = await callscribe(['token', 'create', ...flags], env);
    if (result.code === 0) return result.stdout.trim().split('\n').at(-1)!;
  }
  throw new Error('callscribe token create failed');
}

/** Adds an owner with the CLI and returns its CRM id. */
export async function addOwner(
  env: NodeJS.ProcessEnv,
  api: Api,
  email: string,
  seat: string,
  first: string,
  last: string,
): Promise<string> {
  const added = await callscribe(
    ['owners', 'add', '--email', email, '--seat', seat, '--first-name', first, '--last-name', last],
    env,
  );
  if (added.code !== 0) throw new Error(`owners add failed: ${added.stderr}`);
  const page = await api.call<{ results: { id: string }[] }>(
    'GET',
    '/crm/v3/owners',
    undefined,
    `?email=${email}`,
  );
  return String(page.results[0]!.id);
}

export async function createRecord(
  api: Api,
  type: string,
  properties: Record<string, string>,
): Promise<string> {
  const created = await api.call<{ id: string }>('POST', `/crm/v3/objects/${type}`, { properties });
  return String(created.id);
}

const TO_CALL_TYPE: Record<string, number> = { contacts: 194, companies: 182, deals: 206, tickets: 220 };

/** Logs a call associated with a record (inline association, HubSpot-defined type). */
export async function logCall(
  api: Api,
  properties: Record<string, string>,
  to: { type: string; id: string },
): Promise<string> {
  const created = await api.call<{ id: string }>('POST', '/crm/v3/objects/calls', {
    properties,
    associations: [
      {
        to: { id: to.id },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TO_CALL_TYPE[to.type] }],
      },
    ],
  });
  return String(created.id);
}

export interface SeedUtterance {
  speaker: { id: string; name: string; email?: string };
  text: string;
  startTimeMillis: number;
  endTimeMillis: number;
}

/** Stores a transcript through the transcripts API; returns its id. */
export async function createTranscript(
  api: Api,
  callId: string,
  utterances: SeedUtterance[],
): Promise<string> {
  const created = await api.call<{ id: string }>('POST', '/crm/v3/extensions/calling/transcripts', {
    engagementId: Number(callId),
    transcriptCreateUtterances: utterances.map((u) => ({ ...u, languageCode: 'en-US' })),
  });
  return String(created.id);
}

/** Registers the app's recording endpoint (developer API key, as HubSpot's client sends it). */
export async function registerRecordingEndpoint(
  baseUrl: string,
  devKey: string,
  appId: string,
): Promise<void> {
  const response = await fetch(
    `${baseUrl}/crm/v3/extensions/calling/${appId}/settings/recording?hapikey=${encodeURIComponent(devKey)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urlToRetrieveAuthedRecording: `${baseUrl}/app/v1/recordings/%s` }),
    },
  );
  if (!response.ok)
    throw new Error(`recording settings answered ${response.status}: ${await response.text()}`);
}

export const readBytes = (file: string) => readFile(file);

/**
 * A synthetic transcript of `minutes` of conversation: two speakers taking turns of a few
 * seconds, as a busy hour-long call gives (≈ 1,800 utterances and 10,000 words an hour).
 */
export function syntheticUtterances(
  minutes: number,
  speakers: [SeedUtterance['speaker'], SeedUtterance['speaker']],
): SeedUtterance[] {
  const words =
    'we looked at the invoice and the renewal and i think the numbers work if the team can start next month so let us talk about seats pricing support and the timeline for the rollout'.split(
      ' ',
    );
  const out: SeedUtterance[] = [];
  let t = 500;
  let i = 0;
  const end = minutes * 60_000;
  while (t < end) {
    const count = 2 + ((i * 7) % 8);
    const text = Array.from({ length: count }, (_, k) => words[(i * 3 + k) % words.length]).join(' ');
    const length = count * 300;
    out.push({ speaker: speakers[i % 2]!, text, startTimeMillis: t, endTimeMillis: t + length });
    t += length + 150 + ((i * 13) % 5) * 100;
    i++;
  }
  return out;
}
