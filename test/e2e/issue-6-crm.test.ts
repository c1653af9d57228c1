/**
 * Issue 6 end to end, as the README shows it: `callscribe serve` prints both credentials in dev
 * mode, `token create --developer` issues a hapikey, and the README's curl session and the
 * official client both work against the real server process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callscribe, type RunningServer, startServer } from '../support/cli.js';

describe('issue 6: the CRM served by `callscribe serve`', () => {
  let dir: string;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-e2e-crm-'));
    env = { CALLSCRIBE_DATA_DIR: dir, DATABASE_URL: '', NODE_ENV: 'development' };
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a private-app token and a developer API key at start-up in dev mode', () => {
    expect(server.output()).toMatch(/Dev mode private-app token \(Bearer\): pat-na1-[0-9a-f-]{36}/);
    expect(server.output()).toMatch(/Dev mode developer API key \(hapikey\): [0-9a-f-]{36}/);
  });

  it("the README's curl session and @hubspot/api-client work against it", async () => {
    const token = (await callscribe(['token', 'create'], env)).stdout.trim().split('\n').at(-1)!;
    const hapikey = (await callscribe(['token', 'create', '--developer'], env)).stdout
      .trim()
      .split('\n')
      .at(-1)!;
    expect(hapikey).toMatch(/^[0-9a-f-]{36}$/);
    const json = { 'content-type': 'application/json' };
    const bearer = { authorization: `Bearer ${token}` };

    const settings = await fetch(
      `${server.url}/crm/v3/extensions/calling/1234/settings/recording?hapikey=${hapikey}`,
      {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ urlToRetrieveAuthedRecording: 'http://127.0.0.1:8787/app/v1/recordings/%s' }),
      },
    );
    expect(settings.status).toBe(200);
    const created = await fetch(`${server.url}/crm/v3/objects/calls`, {
      method: 'POST',
      headers: { ...json, ...bearer },
      body: JSON.stringify({
        properties: { hs_timestamp: '2024-01-17T19:55:04.281Z', hs_call_title: 'Demo call' },
      }),
    });
    expect(created.status).toBe(201);
    const call = (await created.json()) as { id: string };
    const read = await fetch(`${server.url}/crm/v3/objects/calls/${call.id}?properties=hs_call_title`, {
      headers: bearer,
    });
    expect(((await read.json()) as { properties: Record<string, string> }).properties['hs_call_title']).toBe(
      'Demo call',
    );

    const client = new Client({ accessToken: token, developerApiKey: hapikey, basePath: server.url });
    const fromSdk = await client.crm.objects.calls.basicApi.getById(call.id, ['hs_call_title']);
    expect(fromSdk.properties['hs_call_title']).toBe('Demo call');
    const url = await client.crm.extensions.calling.recordingSettingsApi.getUrlFormat(1234);
    expect(url.urlToRetrieveAuthedRecording).toBe('http://127.0.0.1:8787/app/v1/recordings/%s');
    await client.crm.extensions.calling.recordingSettingsApi.markAsReady({ engagementId: Number(call.id) });
  });
});
