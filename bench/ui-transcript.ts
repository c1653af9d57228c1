/**
 * The timeline UI's weight and speed, measured in Debian's Chromium (playwright-core):
 *  1. JS+CSS shipped: the built assets' bytes, raw and gzip (what the server sends: `.gz` files
 *     are written next to the assets at build time);
 *  2. time from "the transcript data has arrived" to "the transcript is interactive" (performance
 *     marks set by the page) for a synthetic 60-minute call (≈1,800 utterances, ≈10k words),
 *     against two baselines measured in the same run: the same page with a 2-minute call, and the
 *     same 60-minute transcript rendered naïvely (every utterance and word in the DOM at once);
 *  3. smoothness: frame times while the 60-minute transcript is scrolled end to end.
 * Run: `node --import tsx bench/ui-transcript.ts` (or `npm run bench`). Needs `npm run build` first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.js';
import { createCallscribe } from '../src/main.js';
import { DEFAULT_WEB_DIST } from '../src/ui/index.js';
import { launchBrowser } from '../test/support/browser.js';
import {
  Api,
  createRecord,
  createTranscript,
  logCall,
  syntheticUtterances,
} from '../test/support/ui-seed.js';

const RUNS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

async function assetWeight() {
  const dir = path.join(DEFAULT_WEB_DIST, 'assets');
  if (!existsSync(dir)) throw new Error('web/dist is missing: run `npm run build` first.');
  let raw = 0;
  let gzip = 0;
  for (const name of await readdir(dir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const file = path.join(dir, name);
    const bytes = await readFile(file);
    raw += bytes.length;
    // What is sent: the `.gz` written at build time (else what gzip would make of it).
    gzip += existsSync(`${file}.gz`)
      ? (await readFile(`${file}.gz`)).length
      : gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

async function main() {
  const weight = await assetWeight();
  console.log(`ui: JS+CSS shipped ${kb(weight.raw)} raw, ${kb(weight.gzip)} gzip (${weight.gzip} bytes)`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'callscribe-bench-ui-'));
  const config = loadConfig({ ...process.env, CALLSCRIBE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
  const system = await createCallscribe(config);
  const browser = await launchBrowser();
  try {
    const address = await system.app.listen({ port: 0, host: '127.0.0.1' });
    const api = new Api(address, await system.tokens.create('private_app', 'bench'));
    const owner = await system.owners.add({
      email: 'bench@example.com',
      seat: 'sales',
      firstName: 'Bea',
      lastName: 'Bench',
    });
    const contact = await createRecord(api, 'contacts', { firstname: 'Long', lastname: 'Caller' });
    const speakers: Parameters<typeof syntheticUtterances>[1] = [
      { id: `contact-${contact}`, name: 'Long Caller' },
      { id: String(owner.id), name: 'Bea Bench' },
    ];
    const seed = async (minutes: number) => {
      const utterances = syntheticUtterances(minutes, speakers);
      const callId = await logCall(
        api,
        {
          hs_timestamp: new Date().toISOString(),
          hs_call_title: `${minutes}-minute call`,
          hs_call_direction: 'OUTBOUND',
          hs_call_duration: String(minutes * 60_000),
          hubspot_owner_id: String(owner.id),
        },
        { type: 'contacts', id: contact },
      );
      await createTranscript(api, callId, utterances);
      return {
        callId,
        utterances: utterances.length,
        words: utterances.reduce((n, u) => n + u.text.split(' ').length, 0),
      };
    };
    const long = await seed(60);
    const short = await seed(2);
    console.log(
      `ui: 60-minute call: ${long.utterances} utterances, ${long.words} words; 2-minute: ${short.utterances}`,
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const load = async (callId: string) => {
      await page.goto(`${address}/ui/calls/${callId}`);
      await page.waitForFunction(
        () => performance.getEntriesByName('transcript-ready').length > 0,
        undefined,
        {
          timeout: 60_000,
        },
      );
      return page.evaluate(() => performance.getEntriesByName('transcript-ready')[0]!.duration);
    };
    // The naïve way: every utterance and word in the DOM at once, then one frame.
    const naive = () =>
      page.evaluate(async () => {
        const token = localStorage.getItem('callscribe.token');
        const id = location.pathname.split('/').pop();
        const call = await (
          await fetch(`/crm/v3/objects/calls/${id}?properties=hs_call_transcription_id`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json();
        const response = await fetch(
          `/crm/v3/extensions/calling/transcripts/${call.properties.hs_call_transcription_id}`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        const text = await response.text();
        const start = performance.now();
        const data = JSON.parse(text) as {
          transcriptUtterances: { text: string; speaker: { name: string } }[];
        };
        const list = document.createElement('ol');
        list.style.cssText = 'height:60vh;overflow:auto';
        for (const u of data.transcriptUtterances) {
          const li = document.createElement('li');
          const who = document.createElement('b');
          who.textContent = u.speaker.name;
          const p = document.createElement('p');
          for (const w of u.text.split(' ')) {
            const span = document.createElement('span');
            span.textContent = w;
            span.addEventListener('click', () => undefined);
            p.append(span, ' ');
          }
          li.append(who, p);
          list.append(li);
        }
        document.body.append(list);
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
        const elapsed = performance.now() - start;
        list.remove();
        return elapsed;
      });

    await load(long.callId); // warm-up: caches, JIT
    const results = { long: [] as number[], short: [] as number[], naive: [] as number[] };
    for (let r = 0; r < RUNS; r++) {
      results.long.push(await load(long.callId));
      results.naive.push(await naive());
      results.short.push(await load(short.callId));
    }
    const l = median(results.long);
    const s = median(results.short);
    const n = median(results.naive);
    console.log(
      `ui: transcript interactive after data arrives — 60-min ${l.toFixed(0)} ms (target < 1000 ms), ` +
        `2-min ${s.toFixed(0)} ms, naïve full DOM of the 60-min ${n.toFixed(0)} ms`,
    );
    console.log(
      `ui: ratios — 60-min / 2-min ${(l / s).toFixed(2)}×, 60-min / naïve ${(l / n).toFixed(2)}× (median of ${RUNS})`,
    );

    // Smoothness: scroll the 60-minute transcript, one step per frame: 300 px (a fast flick) and a
    // whole viewport (page after page: every row is new in every frame).
    for (const [label, stepPx] of [
      ['flick, 300 px/frame', 300],
      ['jump, 1 viewport/frame', 0],
    ] as const) {
      await load(long.callId);
      const frames = await page.evaluate(async (step) => {
        const el = document.querySelector<HTMLElement>('.transcript')!;
        const delta = step || el.clientHeight;
        const times: number[] = [];
        let last = performance.now();
        for (let top = 0, i = 0; top < el.scrollHeight && i < 400; top += delta, i++) {
          el.scrollTop = top;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        return times;
      }, stepPx);
      const sorted = [...frames].sort((a, b) => a - b);
      const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
      console.log(
        `ui: scrolling the 60-min transcript (${label}): ${frames.length} frames, median ${median(frames).toFixed(1)} ms, ` +
          `p95 ${p95.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms (one 60 Hz frame: 16.7 ms)`,
      );
    }
  } finally {
    await browser.close();
    await system.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
