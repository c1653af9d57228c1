/**
 * What the issue-7 end-to-end tests share: a calling app driving callscribe only through public
 * interfaces — the CLI, `@hubspot/api-client` against the CRM server, and the app backend over HTTP.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@hubspot/api-client';
import { expect } from 'vitest';
import { generateCallAudio, type Turn } from '../../src/demo/call-audio.js';
import { callscribe } from '../support/cli.js';

const run = promisify(execFile);

/** Generated audio is cached across runs here. */
export const AUDIO_CACHE = path.join(os.tmpdir(), 'callscribe-e2e-audio');

/** About six seconds: short enough to keep the suite quick, long enough for real recognition. */
export const SHORT_CALL: readonly Turn[] = [
  { channel: 1, text: 'Hello, this is Dana. Is now a good time to talk about your order?' },
  { channel: 2, text: 'Yes, thank you for calling me back.' },
];

export async function shortCallWav(layout: 'stereo' | 'mono' = 'stereo'): Promise<string> {
  return (await generateCallAudio(path.join(AUDIO_CACHE, `short-${layout}`), SHORT_CALL, { layout })).path;
}

/** The same call as MP3 (refused: only WAV, FLAC and MP4 are transcribed). */
export async function shortCallMp3(): Promise<string> {
  const wav = await shortCallWav();
  const mp3 = wav.replace(/\.wav$/, '.mp3');
  await run('ffmpeg', ['-y', '-loglevel', 'error', '-i', wav, '-codec:a', 'libmp3lame', '-b:a', '32k', mp3]);
  return mp3;
}

/** The last line of a CLI command's stdout (tokens, keys). */
export async function lastLine(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await callscribe(args, env);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').at(-1)!.trim();
}

export interface Session {
  url: string;
  token: string;
  client: Client;
  /** Adds an owner through the CLI and returns its id (read back through the owners API). */
  owner(email: string, seat: string, firstName: string, lastName: string): Promise<string>;
  contact(firstname: string, lastname: string, email: string): Promise<string>;
  upload(appId: string, account: string, externalId: string, file: string): Promise<void>;
  logCall(properties: Record<string, string>, contactId?: string): Promise<string>;
  markReady(callId: string): Promise<void>;
  status(callId: string): Promise<TranscriptionState>;
  waitFinished(callId: string): Promise<TranscriptionState>;
  transcript(id: string): Promise<TranscriptBody>;
}

export interface TranscriptionState {
  callId: string;
  state: string;
  reason: string | null;
  errorCode: string | null;
  attempts: number;
  transcriptId: string | null;
  analytics: { speakers: { channel: number; talkTimeMillis: number }[] } | null;
}

export interface TranscriptBody {
  id: string;
  engagementId: number;
  transcriptSource: string;
  transcriptUtterances: {
    speaker: { id: string; name: string; email?: string };
    text: string;
    startTimeMillis: number;
  }[];
}

export async function openSession(url: string, env: NodeJS.ProcessEnv): Promise<Session> {
  const token = await lastLine(['token', 'create'], env);
  const developerApiKey = await lastLine(['token', 'create', '--developer-api-key'], env);
  const client = new Client({ accessToken: token, developerApiKey, basePath: url });
  const bearer = { authorization: `Bearer ${token}` };
  const session: Session = {
    url,
    token,
    client,
    async owner(email, seat, firstName, lastName) {
      const added = await callscribe(
        [
          'owners',
          'add',
          '--email',
          email,
          '--seat',
          seat,
          '--first-name',
          firstName,
          '--last-name',
          lastName,
        ],
        env,
      );
      expect(added.code, added.stderr).toBe(0);
      const page = await client.crm.owners.ownersApi.getPage(email);
      return page.results[0]!.id;
    },
    async contact(firstname, lastname, email) {
      const created = await client.crm.contacts.basicApi.create({
        properties: { firstname, lastname, email },
        associations: [],
      });
      return created.id;
    },
    async upload(appId, account, externalId, file) {
      const response = await fetch(
        `${url}/app/v1/recordings/${encodeURIComponent(externalId)}?externalAccountId=${encodeURIComponent(account)}&appId=${appId}`,
        {
          method: 'PUT',
          headers: { ...bearer, 'content-type': 'application/octet-stream' },
          body: await readFile(file),
        },
      );
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    },
    async logCall(properties, contactId) {
      const call = await client.crm.objects.calls.basicApi.create({
        properties: { hs_timestamp: new Date().toISOString(), hs_call_status: 'COMPLETED', ...properties },
        associations: contactId
          ? [
              {
                to: { id: contactId },
                types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 194 }],
              },
            ]
          : [],
      });
      return call.id;
    },
    async markReady(callId) {
      await client.crm.extensions.calling.recordingSettingsApi.markAsReady({ engagementId: Number(callId) });
    },
    async status(callId) {
      const response = await fetch(`${url}/callscribe/v1/calls/${callId}/transcription`, { headers: bearer });
      expect(response.status).toBe(200);
      return (await response.json()) as TranscriptionState;
    },
    async waitFinished(callId) {
      for (;;) {
        const s = await session.status(callId);
        if (s.state === 'done' || s.state === 'failed') return s;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async transcript(id) {
      const response = await client.apiRequest({
        method: 'GET',
        path: `/crm/v3/extensions/calling/transcripts/${id}`,
      });
      expect(response.status).toBe(200);
      return (await response.json()) as TranscriptBody;
    },
  };
  return session;
}

/** Properties of a call an app logs for the authenticated recording flow. */
export function platformCall(
  appId: string,
  account: string,
  externalId: string,
  extra: Record<string, string>,
) {
  return {
    hs_call_source: 'INTEGRATIONS_PLATFORM',
    hs_call_app_id: appId,
    hs_call_external_account_id: account,
    hs_call_external_id: externalId,
    ...extra,
  };
}
