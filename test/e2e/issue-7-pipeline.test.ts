/**
 * Issue 7 end to end, embedded (PGlite, in-process queue): an app registers its endpoint, uploads
 * a recording, logs the call with its contact and marks it ready; the transcript appears with the
 * right speakers — and every refusal ends in a visible failed state with its reason.
 * Only public interfaces: the CLI, @hubspot/api-client against the CRM, the app backend over HTTP.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../support/cli.js';
import { openSession, platformCall, type Session, shortCallMp3, shortCallWav } from './pipeline-helpers.js';

const APP_ID = '777001';
const SILENT_APP_ID = '777002';
const FLAKY_APP_ID = '777003';
const ACCOUNT = 'acct-e2e';

describe('issue 7: a logged call is fetched through the app endpoint and transcribed (embedded)', () => {
  let dataDir: string;
  let server: RunningServer;
  let s: Session;
  let dana: string;
  let casey: string;
  let sam: string;
  // The "app's" other servers: public file hosting for legacy calls, and an endpoint that hangs.
  const files = new Map<string, Buffer>();
  let flakyRequests = 0;
  const side = http.createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return; // never answers
    if (req.url?.startsWith('/flaky/')) {
      // An app endpoint that is down once (503), then answers.
      if (++flakyRequests === 1) return res.writeHead(503).end();
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ authenticatedUrl: `${sideUrl}/legacy.wav` }));
    }
    const body = files.get(req.url ?? '');
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  let sideUrl: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-e2e-pipeline-'));
    await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
    sideUrl = `http://127.0.0.1:${(side.address() as AddressInfo).port}`;
    const env = {
      CALLSCRIBE_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      CALLSCRIBE_APP_CLIENT_SECRET: 'e2e-client-secret',
      CALLSCRIBE_JOB_ATTEMPTS: '2',
      CALLSCRIBE_JOB_BACKOFF_MS: '100',
      CALLSCRIBE_RECORDING_ENDPOINT_TIMEOUT_MS: '800',
    };
    server = await startServer(env);
    s = await openSession(server.url, env);
    dana = await s.owner('dana@example.com', 'sales', 'Dana', 'Demo');
    casey = await s.owner('casey@example.com', 'core', 'Casey', 'Core');
    sam = await s.contact('Sam', 'Rivera', 'sam@example.com');
    const settings = s.client.crm.extensions.calling.recordingSettingsApi;
    await settings.registerUrlFormat(Number(APP_ID), {
      urlToRetrieveAuthedRecording: `${server.url}/app/v1/recordings/%s`,
    });
    await settings.registerUrlFormat(Number(SILENT_APP_ID), {
      urlToRetrieveAuthedRecording: `${sideUrl}/hang/%s`,
    });
    await settings.registerUrlFormat(Number(FLAKY_APP_ID), {
      urlToRetrieveAuthedRecording: `${sideUrl}/flaky/%s`,
    });
    files.set('/legacy.wav', await readFile(await shortCallWav()));
    files.set('/legacy.mp3', await readFile(await shortCallMp3()));
  });

  afterAll(async () => {
    await server?.stop();
    side.closeAllConnections();
    side.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('register → upload → log with contact → mark ready → transcript with the owner on channel 1 (OUTBOUND)', async () => {
    await s.upload(APP_ID, ACCOUNT, 'rec/outbound-1', await shortCallWav());
    const callId = await s.logCall(
      platformCall(APP_ID, ACCOUNT, 'rec/outbound-1', {
        hs_call_direction: 'OUTBOUND',
        hubspot_owner_id: dana,
      }),
      sam,
    );
    await s.markReady(callId);
    const state = await s.waitFinished(callId);
    expect(state).toMatchObject({ state: 'done', reason: null, attempts: 1 });
    expect(state.analytics?.speakers.map((x) => x.channel)).toEqual([1, 2]);

    const call = await s.client.crm.objects.calls.basicApi.getById(callId, [
      'hs_call_has_transcript',
      'hs_call_transcription_id',
    ]);
    expect(call.properties['hs_call_has_transcript']).toBe('true');
    expect(call.properties['hs_call_transcription_id']).toBe(state.transcriptId);

    const transcript = await s.transcript(state.transcriptId!);
    expect(transcript.transcriptSource).toBe('HUBSPOT_GENERATED');
    expect(String(transcript.engagementId)).toBe(callId);
    const speakers = new Map(transcript.transcriptUtterances.map((u) => [u.speaker.id, u.speaker]));
    expect(speakers.get(dana)).toEqual({ id: dana, name: 'Dana Demo', email: 'dana@example.com' });
    expect(speakers.get(sam)).toEqual({ id: sam, name: 'Sam Rivera', email: 'sam@example.com' });
    // Dana speaks first (channel 1, the caller), Sam answers.
    expect(transcript.transcriptUtterances[0]!.speaker.id).toBe(dana);
    expect(transcript.transcriptUtterances.at(-1)!.speaker.id).toBe(sam);
    expect(transcript.transcriptUtterances.map((u) => u.text).join(' ')).toMatch(/\w+/);

    // Marking ready again, the timeline's request and a retry never make a second transcript.
    await s.markReady(callId);
    const viewed = await fetch(`${s.url}/callscribe/v1/calls/${callId}/transcription`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(viewed.status).toBe(202);
    expect(await viewed.json()).toMatchObject({ state: 'done', transcriptId: state.transcriptId });
    const retry = await fetch(`${s.url}/callscribe/v1/calls/${callId}/transcription/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(retry.status).toBe(409);
    expect(await s.status(callId)).toMatchObject({
      state: 'done',
      transcriptId: state.transcriptId,
      attempts: 1,
    });
  });

  it('legacy path: hs_call_recording_url fetched directly; INBOUND puts the contact on channel 1', async () => {
    const callId = await s.logCall(
      {
        hs_call_recording_url: `${sideUrl}/legacy.wav`,
        hs_call_direction: 'INBOUND',
        hubspot_owner_id: dana,
      },
      sam,
    );
    // The events stream shows each state change until the end.
    const events = await fetch(
      `${s.url}/callscribe/v1/calls/${callId}/transcription/events?access_token=${s.token}`,
    );
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await events.text(); // the server ends the stream at done/failed
    const states = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).state as string);
    expect(states.at(-1)).toBe('done');

    const state = await s.status(callId);
    const transcript = await s.transcript(state.transcriptId!);
    expect(transcript.transcriptUtterances[0]!.speaker).toEqual({
      id: sam,
      name: 'Sam Rivera',
      email: 'sam@example.com',
    });
    expect(transcript.transcriptUtterances.at(-1)!.speaker.id).toBe(dana);
  });

  it('a transient failure (endpoint 503) is retried with backoff and then succeeds', async () => {
    const callId = await s.logCall(
      platformCall(FLAKY_APP_ID, ACCOUNT, 'flaky-1', { hubspot_owner_id: dana }),
      sam,
    );
    const state = await s.waitFinished(callId);
    expect(state).toMatchObject({ state: 'done', attempts: 2, reason: null });
    expect(flakyRequests).toBe(2);
  });

  it.each([
    ['mono recording', 'mono', /mono/i, 'E_AUDIO_MONO'],
    ['MP3 recording', 'mp3', /WAV, FLAC|MP3|format/i, 'E_AUDIO_UNSUPPORTED_FORMAT'],
    ['owner without a paid seat', 'no-seat', /no paid Sales or Service seat/, 'E_NO_PAID_SEAT'],
    ['endpoint 404 (no such recording)', 'endpoint-404', /answered 404/, 'E_RECORDING_UNAVAILABLE'],
    ['endpoint timeout', 'endpoint-timeout', /did not answer within/, 'E_RECORDING_FETCH_TIMEOUT'],
  ])('refusal: %s ends failed with its reason', async (_name, kind, reason, code) => {
    const externalId = `refusal-${kind}`;
    let properties: Record<string, string>;
    if (kind === 'mono') {
      await s.upload(APP_ID, ACCOUNT, externalId, await shortCallWav('mono'));
      properties = platformCall(APP_ID, ACCOUNT, externalId, { hubspot_owner_id: dana });
    } else if (kind === 'mp3') {
      properties = { hs_call_recording_url: `${sideUrl}/legacy.mp3`, hubspot_owner_id: dana };
    } else if (kind === 'no-seat') {
      await s.upload(APP_ID, ACCOUNT, externalId, await shortCallWav());
      properties = platformCall(APP_ID, ACCOUNT, externalId, { hubspot_owner_id: casey });
    } else if (kind === 'endpoint-404') {
      properties = platformCall(APP_ID, ACCOUNT, externalId, { hubspot_owner_id: dana }); // never uploaded
    } else {
      properties = platformCall(SILENT_APP_ID, ACCOUNT, externalId, { hubspot_owner_id: dana });
    }
    const callId = await s.logCall(properties, sam);
    await s.markReady(callId);
    const state = await s.waitFinished(callId);
    expect(state.state).toBe('failed');
    expect(state.errorCode).toBe(code);
    expect(state.reason).toMatch(reason);
    // Transient failures are retried (2 attempts here); permanent ones are not.
    expect(state.attempts).toBe(kind === 'endpoint-timeout' ? 2 : 1);
    const call = await s.client.crm.objects.calls.basicApi.getById(callId, ['hs_call_has_transcript']);
    expect(call.properties['hs_call_has_transcript'] ?? 'false').not.toBe('true');
  });

  it('the status API needs a token and knows unknown calls', async () => {
    const anonymous = await fetch(`${s.url}/callscribe/v1/calls/1/transcription`);
    expect(anonymous.status).toBe(401);
    const unknown = await fetch(`${s.url}/callscribe/v1/calls/999999999/transcription`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
  });
});
