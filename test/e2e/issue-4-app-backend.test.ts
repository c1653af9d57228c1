/**
 * Issue 4 as a user meets it: the built CLI uploads recordings before and while `serve` runs, the
 * endpoint HubSpot calls answers with a working authenticated URL, and the sync commands register,
 * log, associate and mark ready against callscribe's own CRM server (not a mock of HubSpot).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubSpotSignatureHeadersV3 } from '../../src/core/hubspot-signature-v3.js';
import { makeMp3Like, makeWav } from '../support/app-audio.js';
import { callscribe, type RunningServer, startServer } from '../support/cli.js';

describe('issue 4: calling-app backend from the CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: RunningServer | undefined;
  const wav = makeWav(50_000);
  const wav2 = makeWav(30_000);
  const secret = 'e2e-client-secret';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'callscribe-app-e2e-'));
    env = {
      CALLSCRIBE_DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: '',
      REDIS_URL: '',
      CALLSCRIBE_APP_ID: '424242',
      CALLSCRIBE_APP_CLIENT_SECRET: secret,
    };
    await writeFile(path.join(dir, 'call-1.wav'), wav);
    await writeFile(path.join(dir, 'call-2.wav'), wav2);
    await writeFile(path.join(dir, 'song.mp3'), makeMp3Like(4000));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('app and each of its commands have --help', async () => {
    const app = await callscribe(['app', '--help'], env);
    expect(app.code).toBe(0);
    for (const verb of ['upload', 'register', 'log-call', 'associate', 'mark-ready']) {
      expect(app.stdout).toContain(verb);
      const help = await callscribe(['app', verb, '--help'], env);
      expect(help.code, verb).toBe(0);
      expect(help.stdout).toMatch(/Usage: callscribe app /);
    }
  });

  it('before serve: upload stores directly; a refused file exits 2 with the reason', async () => {
    const ok = await callscribe(
      ['app', 'upload', '--account', 'acc-1', '--id', 'call-1', path.join(dir, 'call-1.wav')],
      env,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /stored recording call-1 of account acc-1 \(50044 bytes, audio\/wav.*via the database/,
    );
    const refused = await callscribe(
      ['app', 'upload', '--account', 'acc-1', '--id', 'x', path.join(dir, 'song.mp3')],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^callscribe: Only WAV, FLAC and MP4 .* MP3\.$/);
  });

  it('while serve runs: upload goes through the server and the endpoint hands out working URLs', async () => {
    server = await startServer(env);
    const up = await callscribe(
      ['app', 'upload', '--account', 'acc-1', '--id', 'call-2', path.join(dir, 'call-2.wav')],
      env,
    );
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/via the running server/);
    const refused = await callscribe(
      ['app', 'upload', '--account', 'acc-1', '--id', 'x', path.join(dir, 'song.mp3')],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/MP3/);

    for (const [id, bytes] of [
      ['call-1', wav],
      ['call-2', wav2],
    ] as const) {
      const url = `${server.url}/app/v1/recordings/${id}?externalAccountId=acc-1&appId=424242`;
      expect((await fetch(url)).status).toBe(401); // a client secret is configured: unsigned is refused
      const res = await fetch(url, {
        headers: hubSpotSignatureHeadersV3(secret, { method: 'GET', uri: url }),
      });
      expect(res.status).toBe(200);
      const { authenticatedUrl } = (await res.json()) as { authenticatedUrl: string };
      const media = await fetch(authenticatedUrl);
      expect(media.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.from(await media.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('the full sync against callscribe’s own CRM: register, log (idempotent), associate, mark ready', async () => {
    const srv = server!;
    const lastLine = (s: string) => s.trim().split('\n').at(-1)!;
    const token = lastLine((await callscribe(['token', 'create'], env)).stdout);
    const hapikey = lastLine((await callscribe(['token', 'create', '--developer-api-key'], env)).stdout);
    const crm = (method: string, p: string, body?: unknown) =>
      fetch(srv.url + p, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const contact = (await (
      await crm('POST', '/crm/v3/objects/contacts', { properties: { email: 'ana@example.com' } })
    ).json()) as { id: string };
    const company = (await (
      await crm('POST', '/crm/v3/objects/companies', { properties: { name: 'Acme' } })
    ).json()) as { id: string };
    const sync = ['--base-url', srv.url, '--access-token', token, '--hapikey', hapikey];

    const reg = await callscribe(['app', 'register', ...sync], env);
    expect(reg.stderr).toBe('');
    expect(reg.stdout.trim()).toBe(`created: app 424242 recording URL ${srv.url}/app/v1/recordings/%s`);
    expect((await callscribe(['app', 'register', ...sync], env)).stdout).toMatch(/^unchanged/);

    const logArgs = [
      'app',
      'log-call',
      ...sync,
      '--account',
      'acc-1',
      '--id',
      'call-2',
      '--title',
      'Demo call',
      '--duration-ms',
      '3800',
      '--from',
      '(555) 555 5555',
      '--to',
      '(555) 555 0100',
      '--contact',
      contact.id,
    ];
    const logged = await callscribe(logArgs, env);
    expect(logged.stderr).toBe('');
    const callId = /^logged call (\d+)$/.exec(logged.stdout.trim())?.[1];
    expect(callId).toBeDefined();
    expect((await callscribe(logArgs, env)).stdout.trim()).toBe(`already logged call ${callId}`);

    const assoc = await callscribe(
      ['app', 'associate', ...sync, '--call', callId!, '--to', 'company', '--to-id', company.id],
      env,
    );
    expect(assoc.code).toBe(0);
    const deal = (await (
      await crm('POST', '/crm/v3/objects/deals', {
        properties: { dealname: 'D', dealstage: 'appointmentscheduled', pipeline: 'default' },
      })
    ).json()) as { id: string };
    const v3 = await callscribe(
      ['app', 'associate', ...sync, '--api', 'v3', '--call', callId!, '--to', 'deal', '--to-id', deal.id],
      env,
    );
    expect(v3.stderr).toBe('');
    const ready = await callscribe(['app', 'mark-ready', ...sync, '--call', callId!], env);
    expect(ready.stderr).toBe('');
    expect(ready.stdout.trim()).toBe(`marked the recording of call ${callId} ready`);

    const props =
      'hs_call_source,hs_call_app_id,hs_call_external_id,hs_call_external_account_id,hs_call_title,hs_call_duration';
    const call = (await (
      await crm(
        'GET',
        `/crm/v3/objects/calls/${callId}?properties=${props}&associations=contacts,companies,deals`,
      )
    ).json()) as {
      properties: Record<string, string>;
      associations: Record<string, { results: Array<{ id: string }> }>;
    };
    expect(call.properties).toMatchObject({
      hs_call_source: 'INTEGRATIONS_PLATFORM',
      hs_call_app_id: '424242',
      hs_call_external_id: 'call-2',
      hs_call_external_account_id: 'acc-1',
      hs_call_title: 'Demo call',
      hs_call_duration: '3800',
    });
    expect(call.associations['contacts']?.results.map((r) => String(r.id))).toContain(contact.id);
    expect(call.associations['companies']?.results.map((r) => String(r.id))).toContain(company.id);
    expect(call.associations['deals']?.results.map((r) => String(r.id))).toContain(deal.id);
    const search = (await (
      await crm('POST', '/crm/v3/objects/calls/search', {
        filterGroups: [
          { filters: [{ propertyName: 'hs_call_external_id', operator: 'EQ', value: 'call-2' }] },
        ],
      })
    ).json()) as { total: number };
    expect(search.total).toBe(1);

    // What HubSpot does next (reference section 3, steps 3-4): substitute the external id, sign, fetch.
    const settings = await fetch(
      `${srv.url}/crm/v3/extensions/calling/424242/settings/recording?hapikey=${hapikey}`,
    );
    const template = ((await settings.json()) as { urlToRetrieveAuthedRecording: string })
      .urlToRetrieveAuthedRecording;
    const url = `${template.replace('%s', 'call-2')}?appId=424242&externalAccountId=acc-1`;
    const res = await fetch(url, { headers: hubSpotSignatureHeadersV3(secret, { method: 'GET', uri: url }) });
    expect(res.status).toBe(200);
    const { authenticatedUrl } = (await res.json()) as { authenticatedUrl: string };
    const media = await fetch(authenticatedUrl, { headers: { range: 'bytes=0-43' } });
    expect(media.status).toBe(206);
    expect(Buffer.from(await media.arrayBuffer()).equals(wav2.subarray(0, 44))).toBe(true);
  });

  it('the legacy path logs a public recording URL and warns that it is public', async () => {
    const srv = server!;
    const token = (await callscribe(['token', 'create'], env)).stdout.trim().split('\n').at(-1)!;
    const legacy = await callscribe(
      [
        'app',
        'log-call',
        '--base-url',
        srv.url,
        '--access-token',
        token,
        '--legacy-recording-url',
        'https://rec.example/c-9.wav',
        '--title',
        'Old style',
      ],
      env,
    );
    expect(legacy.code).toBe(0);
    expect(legacy.stderr).toMatch(/warning: .*anyone with the URL can play it/);
    const id = /call (\d+)/.exec(legacy.stdout)?.[1];
    const call = await fetch(
      `${srv.url}/crm/v3/objects/calls/${id}?properties=hs_call_recording_url,hs_call_source`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const body = (await call.json()) as { properties: Record<string, string | null> };
    expect(body.properties['hs_call_recording_url']).toBe('https://rec.example/c-9.wav');
    expect(body.properties['hs_call_source'] ?? null).toBeNull();
  });
});
