/**
 * Issue 5 in a real browser: `callscribe serve` on a free port, seeded only through public
 * interfaces (CLI, CRM API, transcripts API, the app backend's upload), driven by Debian's
 * Chromium through playwright-core. Screenshots go to test-results/.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../support/app-audio.js';
import { accessibilityViolations, launchBrowser } from '../support/browser.js';
import { type RunningServer, startServer } from '../support/cli.js';
import { type GeneratedCall, generateCall, TUNING_DIALOGUES } from '../support/speech-corpus.js';
import {
  Api,
  addOwner,
  createRecord,
  createTranscript,
  issueToken,
  logCall,
  registerRecordingEndpoint,
  type SeedUtterance,
  syntheticUtterances,
} from '../support/ui-seed.js';

const RESULTS = path.resolve('test-results');
const APP_ID = '4242';
const ACCOUNT = 'acct-ui';
const NO_SEAT = 'no transcript: owner has no paid Sales/Service seat';

describe('record timeline UI (Chromium)', () => {
  let dataDir: string;
  let server: RunningServer;
  let api: Api;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let contactId: string;
  let callId: string;
  let monoCallId: string;
  let noSeatCallId: string;
  let recording: GeneratedCall;
  let utterances: SeedUtterance[];
  let longCallId: string;
  let dealId: string;
  let longUtterances: SeedUtterance[];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'callscribe-ui-e2e-'));
    const env = { CALLSCRIBE_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', NODE_ENV: 'development' };
    [server, recording] = await Promise.all([startServer(env), generateCall(TUNING_DIALOGUES[0]!)]);
    api = new Api(server.url, await issueToken(env));
    const devKey = await issueToken(env, true);
    const ana = await addOwner(env, api, 'ana.sales@example.com', 'sales', 'Ana', 'Sales');
    const cory = await addOwner(env, api, 'cory.core@example.com', 'core', 'Cory', 'Core');
    contactId = await createRecord(api, 'contacts', {
      firstname: 'Bo',
      lastname: 'Baker',
      email: 'bo.baker@example.com',
      phone: '+1 555 0100',
    });
    await createRecord(api, 'contacts', { firstname: 'Cleo', lastname: 'Diaz', email: 'cleo@example.com' });
    await registerRecordingEndpoint(server.url, devKey, APP_ID);
    const stereo = await readFile(recording.path);
    const now = Date.now();
    const external = (id: string) => ({
      hs_call_external_id: id,
      hs_call_external_account_id: ACCOUNT,
      hs_call_app_id: APP_ID,
    });
    const contact = { type: 'contacts', id: contactId };

    // A transcribed inbound call: channel 1 (the caller) is the contact, channel 2 the owner.
    await api.uploadRecording('rec-billing', ACCOUNT, APP_ID, stereo);
    callId = await logCall(
      api,
      {
        hs_timestamp: new Date(now - 2 * 3_600_000).toISOString(),
        hs_call_title: 'Invoice question',
        hs_call_direction: 'INBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_duration: String(recording.durationMillis),
        hubspot_owner_id: ana,
        ...external('rec-billing'),
      },
      contact,
    );
    const speakers = {
      1: { id: `contact-${contactId}`, name: 'Bo Baker', email: 'bo.baker@example.com' },
      2: { id: ana, name: 'Ana Sales', email: 'ana.sales@example.com' },
    } as const;
    utterances = recording.channels
      .flatMap((ch) =>
        ch.utterances.map((u) => ({
          speaker: speakers[ch.channel as 1 | 2],
          text: u.text,
          startTimeMillis: u.startMillis,
          endTimeMillis: u.endMillis,
        })),
      )
      .sort((a, b) => a.startTimeMillis - b.startTimeMillis);
    await createTranscript(api, callId, utterances);

    // Two calls the pipeline refuses: a mono recording, and an owner without a paid seat.
    await api.uploadRecording('rec-mono', ACCOUNT, APP_ID, makeWav(8000 * 2 * 3, 1));
    monoCallId = await logCall(
      api,
      {
        hs_timestamp: new Date(now - 3_600_000).toISOString(),
        hs_call_title: 'Follow-up (mono line)',
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_source: 'INTEGRATIONS_PLATFORM',
        hubspot_owner_id: ana,
        ...external('rec-mono'),
      },
      contact,
    );
    await api.uploadRecording('rec-noseat', ACCOUNT, APP_ID, stereo);
    noSeatCallId = await logCall(
      api,
      {
        hs_timestamp: new Date(now - 1_800_000).toISOString(),
        hs_call_title: 'Quick check-in',
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_source: 'INTEGRATIONS_PLATFORM',
        hubspot_owner_id: cory,
        ...external('rec-noseat'),
      },
      contact,
    );

    // The same call also sits on a deal's timeline (v4 default association).
    dealId = await createRecord(api, 'deals', {
      dealname: 'Baker renewal',
      dealstage: 'appointmentscheduled',
      pipeline: 'default',
      amount: '1200',
    });
    await api.call('PUT', `/crm/v4/objects/calls/${callId}/associations/default/deals/${dealId}`);

    // A 60-minute call (synthetic transcript, ≈1,800 utterances; mono 3 kHz audio, 21 MB).
    const lena = await createRecord(api, 'contacts', { firstname: 'Lena', lastname: 'Long' });
    await api.uploadRecording('rec-long', ACCOUNT, APP_ID, makeWav(3000 * 2 * 3600, 1, 3000));
    longCallId = await logCall(
      api,
      {
        hs_timestamp: new Date(now).toISOString(),
        hs_call_title: 'Quarterly review (one hour)',
        hs_call_direction: 'OUTBOUND',
        hs_call_duration: String(3_600_000),
        hubspot_owner_id: ana,
        ...external('rec-long'),
      },
      { type: 'contacts', id: lena },
    );
    longUtterances = syntheticUtterances(60, [
      { id: ana, name: 'Ana Sales' },
      { id: `contact-${lena}`, name: 'Lena Long' },
    ]);
    await createTranscript(api, longCallId, longUtterances);

    await mkdir(RESULTS, { recursive: true });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const audioState = () =>
    page.evaluate(() => {
      const a = document.querySelector('audio')!;
      return { t: a.currentTime, paused: a.paused, ready: a.readyState };
    });
  const waitForTime = (near: number, tolerance = 0.15) =>
    page.waitForFunction(
      ([n, tol]) => Math.abs(document.querySelector('audio')!.currentTime - n!) <= tol!,
      [near, tolerance],
    );

  it('signs in with a pasted token when there is no dev session', async () => {
    const other = await browser.newContext();
    const p = await other.newPage();
    await p.route('**/ui/session', (route) => route.fulfill({ status: 404, body: '{}' }));
    await p.goto(`${server.url}/ui/`);
    await p.getByLabel('Access token').fill('pat-na1-not-a-real-token');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('alert').filter({ hasText: 'did not issue' }).waitFor();
    await p.getByLabel('Access token').fill(api.token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Contacts' }).waitFor();
    await other.close();
  });

  it('lists and searches records, and shows a record timeline newest first with each state', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Record timeline' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.getByText('Cleo Diaz').waitFor();
    await page.getByLabel('Search contacts').fill('baker');
    await page.getByText('Cleo Diaz').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /Bo Baker/ }).click();
    await page.getByRole('heading', { name: 'Bo Baker' }).waitFor();

    const cards = page.locator('.call-card');
    await page.waitForFunction(() => document.querySelectorAll('.call-card').length === 3);
    expect(await cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['callId']))).toEqual([
      noSeatCallId,
      monoCallId,
      callId,
    ]);
    const card = (id: string) => page.locator(`.call-card[data-call-id="${id}"]`);
    await card(callId).locator('[data-state="done"]').waitFor();
    await card(monoCallId).locator('[data-state="failed"]').waitFor({ timeout: 90_000 });
    expect(await card(monoCallId).locator('.state').textContent()).toMatch(/^Failed: .*mono/i);
    await card(noSeatCallId).locator('[data-state="no-seat"]').waitFor({ timeout: 90_000 });
    expect(await card(noSeatCallId).locator('.state').textContent()).toBe(NO_SEAT);
    const first = await card(callId).textContent();
    for (const fact of ['Invoice question', 'Inbound', 'Completed', 'Ana Sales'])
      expect(first).toContain(fact);
    await page.screenshot({ path: path.join(RESULTS, 'ui-record-page.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 150_000);

  it('deals have timelines too', async () => {
    await page.getByRole('navigation', { name: 'Record types' }).getByRole('link', { name: 'Deals' }).click();
    await page.getByRole('heading', { name: 'Deals' }).waitFor();
    await page.getByRole('link', { name: /Baker renewal/ }).click();
    await page.getByRole('heading', { name: 'Baker renewal' }).waitFor();
    await page.locator(`.call-card[data-call-id="${callId}"] [data-state="done"]`).waitFor();
    expect(await page.locator('.call-card').count()).toBe(1);
    expect(dealId).toMatch(/^\d+$/);
    await page.goto(`${server.url}/ui/records/contacts/${contactId}`);
    await page.getByRole('heading', { name: 'Bo Baker' }).waitFor();
  });

  it('plays a call streamed with Range, and clicking a word seeks the player there', async () => {
    const media: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/app/v1/media/')) media.push(r.status());
    });
    await page.getByRole('link', { name: 'Invoice question' }).click();
    await page.getByRole('heading', { name: 'Invoice question' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.utt').length > 0);
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);

    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('audio')!.currentTime > 0.3);
    expect((await audioState()).paused).toBe(false);
    // As it plays, the lit word moves on through the first utterance.
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('.now')?.dataset['w'] ?? -1) >= 2,
    );
    expect(await page.locator('.now').count()).toBe(1);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    expect(media).toContain(206);

    // The first word of an utterance starts exactly where the utterance starts.
    const target = utterances[4]!;
    const word = page.locator('.utt[data-u="4"] [data-w]').first();
    await word.click();
    await waitForTime(target.startTimeMillis / 1000, 0.05);
    await page.waitForFunction(() => document.querySelector('.utt[data-u="4"] [data-w].now') !== null);
    expect(await page.locator('.utt[data-u="4"]').getAttribute('class')).toContain('active');
    // Clicking the utterance's speaker name plays it from its start.
    await page.locator('.utt[data-u="2"] .who').click();
    await waitForTime(utterances[2]!.startTimeMillis / 1000, 0.05);
    // A later word lands inside its utterance.
    await page.locator('.utt[data-u="4"] [data-w]').nth(3).click();
    await page.waitForFunction(
      ([s, e]) => {
        const t = document.querySelector('audio')!.currentTime;
        return t > s! && t < e!;
      },
      [target.startTimeMillis / 1000, target.endTimeMillis / 1000],
    );
  }, 60_000);

  it('finds words: `/` focuses search, hits are marked in the text and on the track, Enter jumps', async () => {
    // (The call page is also checked with axe-core here, search hits and playhead showing.)
    await page.locator('h1').click();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('transcript-search');
    await page.keyboard.type('invoice');
    const expected = utterances.reduce((n, u) => n + u.text.split('invoice').length - 1, 0);
    expect(expected).toBeGreaterThan(1);
    await page.getByText(`${expected} matches`).waitFor();
    expect(await page.locator('.hit-mark').count()).toBe(expected);
    expect(await page.locator('.utt-text .hit').count()).toBe(expected);
    await page.keyboard.press('Enter');
    const firstHit = utterances.find((u) => u.text.includes('invoice'))!;
    await page.getByText(`1 of ${expected} matches`).waitFor();
    await page.waitForFunction(
      ([s, e]) => {
        const t = document.querySelector('audio')!.currentTime;
        return t >= s! && t <= e!;
      },
      [firstHit.startTimeMillis / 1000, firstHit.endTimeMillis / 1000],
    );
    expect(await page.locator('.hit-mark-active').count()).toBe(1);
    await page.screenshot({ path: path.join(RESULTS, 'ui-call-page.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('keyboard: space plays and pauses, arrows seek 5 s', async () => {
    await page.locator('h1').click();
    const t0 = (await audioState()).t;
    await page.keyboard.press('ArrowRight');
    await waitForTime(t0 + 5, 0.05);
    await page.keyboard.press('ArrowLeft');
    await waitForTime(t0, 0.05);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !document.querySelector('audio')!.paused);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('audio')!.paused);
  });

  it('downloads the transcript as VTT and links to a moment', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'VTT' }).click(),
    ]);
    const vtt = await readFile((await download.path())!, 'utf8');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt).toContain(`<v ${utterances[0]!.speaker.name}>${utterances[0]!.text}`);
    await page.getByRole('button', { name: 'Copy link to this moment' }).click();
    const link = await page.getByLabel('Link to this moment').inputValue();
    expect(link).toMatch(new RegExp(`/ui/calls/${callId}#t=\\d+\\.\\d$`));
    await page.goto(`${server.url}/ui/calls/${callId}#t=7.5`);
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
    await waitForTime(7.5, 0.05);
  });

  it('a failed call shows its reason and offers to re-run', async () => {
    await page.goto(`${server.url}/ui/calls/${monoCallId}?from=contacts/${contactId}`);
    await page.locator('.call-head [data-state="failed"]').waitFor();
    expect(await page.locator('.call-head .state').textContent()).toMatch(/mono/i);
    // Re-run: the page follows the new run live (server-sent events) until it fails again.
    const events = page.waitForResponse((r) => r.url().endsWith(`/calls/${monoCallId}/transcription/events`));
    await page.getByRole('button', { name: 'Re-run transcription' }).click();
    await page.getByText('Transcription queued again.').waitFor();
    expect((await events).headers()['content-type']).toMatch(/text\/event-stream/);
    await page.locator('.call-head [data-state="failed"]').waitFor();
    expect(await page.locator('.call-head .state').textContent()).toMatch(/mono/i);
    await page.getByRole('link', { name: 'Back to the contact' }).click();
    await page.getByRole('heading', { name: 'Bo Baker' }).waitFor();
  });

  it('keeps an hour-long transcript light: few rows in the DOM, seeking far reveals the right one', async () => {
    await page.goto(`${server.url}/ui/calls/${longCallId}`);
    await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
    const rows = page.locator('.utt');
    expect(await rows.first().getAttribute('aria-setsize')).toBe(String(longUtterances.length));
    expect(longUtterances.length).toBeGreaterThan(1500);
    expect(await rows.count()).toBeLessThan(60);

    // Click three quarters along the talk-track: the player and the transcript follow.
    const box = (await page.locator('.track-area').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.waitForFunction(() => Math.abs(document.querySelector('audio')!.currentTime - 2700) < 10);
    const t = (await audioState()).t * 1000;
    const expected = longUtterances.filter((u) => u.startTimeMillis <= t).length - 1;
    await page.locator(`.utt.active[data-u="${expected}"]`).waitFor();
    expect(await rows.count()).toBeLessThan(60);
    const visible = await page.evaluate((u) => {
      const box = document.querySelector('.transcript')!.getBoundingClientRect();
      const row = document.querySelector(`.utt[data-u="${u}"]`)!.getBoundingClientRect();
      return row.top >= box.top && row.bottom <= box.bottom;
    }, expected);
    expect(visible).toBe(true);

    await page.getByLabel('Search transcript').fill('rollout');
    const hits = longUtterances.reduce((n, u) => n + u.text.split('rollout').length - 1, 0);
    await page.getByText(`${hits} matches`).waitFor();
    expect(hits).toBeGreaterThan(100);
    expect(hits).toBeLessThanOrEqual(400); // the track draws up to 400 marks, then every n-th
    expect(await page.locator('.hit-mark').count()).toBe(hits);
  });

  it('fits a phone-sized screen, and axe-core finds no WCAG 2.1 A/AA violation there', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const p = await phone.newPage();
    await p.goto(`${server.url}/ui/calls/${callId}?from=contacts/${contactId}`);
    await p.waitForFunction(() => document.querySelectorAll('.utt').length > 0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await p.screenshot({ path: path.join(RESULTS, 'ui-call-page-phone.png'), fullPage: true });
    expect(await accessibilityViolations(p)).toEqual([]);
    await phone.close();
  });
});
