/**
 * An app that demands HubSpot's v3 request signature (CALLSCRIBE_APP_CLIENT_SECRET set) refuses
 * the browser, which cannot sign: the call page then gets the authenticated URL from callscribe,
 * which signs the request as HubSpot does, and the recording still plays.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { type RunningServer, startServer } from '../support/cli.js';
import { generateCall, TUNING_DIALOGUES } from '../support/speech-corpus.js';
import {
  Api,
  addOwner,
  createRecord,
  createTranscript,
  issueToken,
  logCall,
  registerRecordingEndpoint,
} from '../support/ui-seed.js';

describe('call page with a signature-checking recording endpoint (Chromium)', () => {
  let dataDir: string;
  let server: RunningServer;
  let browser: Browser;
  let callId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'callscribe-ui-signed-'));
    const env = {
      CALLSCRIBE_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      NODE_ENV: 'development',
      CALLSCRIBE_APP_CLIENT_SECRET: 'ui-test-client-secret-0123456789',
    };
    const [running, recording] = await Promise.all([startServer(env), generateCall(TUNING_DIALOGUES[0]!)]);
    server = running;
    const api = new Api(server.url, await issueToken(env));
    const owner = await addOwner(env, api, 'sig@example.com', 'sales', 'Sig', 'Nature');
    const contact = await createRecord(api, 'contacts', { firstname: 'Sam', lastname: 'Signed' });
    await registerRecordingEndpoint(server.url, await issueToken(env, true), '77');
    await api.uploadRecording('rec-signed', 'acct-signed', '77', await readFile(recording.path));
    callId = await logCall(
      api,
      {
        hs_timestamp: new Date().toISOString(),
        hs_call_title: 'Signed endpoint call',
        hs_call_direction: 'OUTBOUND',
        hubspot_owner_id: owner,
        hs_call_external_id: 'rec-signed',
        hs_call_external_account_id: 'acct-signed',
        hs_call_app_id: '77',
      },
      { type: 'contacts', id: contact },
    );
    await createTranscript(api, callId, [
      {
        speaker: { id: owner, name: 'Sig Nature' },
        text: 'hello there',
        startTimeMillis: 500,
        endTimeMillis: 1500,
      },
    ]);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('plays through the URL callscribe resolved with the signature', async () => {
    const page = await browser.newPage();
    const statuses = new Map<string, number>();
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/app/v1/recordings/')) statuses.set('direct', r.status());
      if (url.pathname === `/ui/api/calls/${callId}/recording`) statuses.set('resolved', r.status());
      if (url.pathname.startsWith('/app/v1/media/')) statuses.set('media', r.status());
    });
    await page.goto(`${server.url}/ui/calls/${callId}`);
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
    expect(Object.fromEntries(statuses)).toEqual({ direct: 401, resolved: 200, media: 206 });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('audio')!.currentTime > 0.2);
    await page.close();
  });
});
