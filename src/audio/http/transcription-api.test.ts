/**
 * The OpenAI-compatible API served by callscribe, driven over a real socket by callscribe's own
 * OpenAI-compatible recogniser: the adapter is tested against a real server, and the server
 * against the client the rest of the world would use it with.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_DIR,
  GOFORWARD_RAW,
  LIBRIVOX,
  refusalFixtures,
  speechMono,
} from '../../../test/support/audio-fixtures.js';
import { generateCall, normalizeText, TUNING_VOICES } from '../../../test/support/speech-corpus.js';
import { loadConfig } from '../../config.js';
import { AppError } from '../../core/errors.js';
import type { Recognizer } from '../../core/ports/recognizer.js';
import { type Callscribe, createCallscribe } from '../../main.js';
import { migrate } from '../../storage/db/index.js';
import { createPgliteDatabase } from '../../storage/db/pglite-database.js';
import { createOpenAiCompatibleRecognizer } from '../asr/openai-compatible-recognizer.js';
import { transcribeFile } from '../pipeline.js';

let system: Callscribe;
let url: string;
let token: string;
let dataDir: string;
let adapter: Recognizer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'callscribe-asr-api-'));
  const db = await createPgliteDatabase();
  await migrate(db);
  system = await createCallscribe(
    loadConfig({
      LOG_LEVEL: 'silent',
      CALLSCRIBE_DATA_DIR: dataDir,
      CALLSCRIBE_TRANSCRIPTION_API_LIMIT_MB: '1',
    }),
    { db },
  );
  url = await system.app.listen({ port: 0, host: '127.0.0.1' });
  token = await system.tokens.create('private_app', 'asr test');
  adapter = createOpenAiCompatibleRecognizer({ baseUrl: url, apiKey: token });
});
afterAll(async () => {
  await system.close();
  await system.db.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function goForward(): Promise<Int16Array> {
  const bytes = await readFile(GOFORWARD_RAW);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~1)));
}

/** Three librivox sentences in a row, 15.7 s, 16 kHz mono. */
async function librivoxMemo(): Promise<string> {
  const file = path.join(FIXTURE_DIR, 'librivox-memo.wav');
  if (!existsSync(file)) {
    await mkdir(FIXTURE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp.wav`;
    const parts = ['0870', '0890', '0930'].map((id) =>
      path.join(LIBRIVOX, `sense_and_sensibility_01_austen_64kb-${id}.wav`),
    );
    await promisify(execFile)('sox', [...parts, tmp]);
    await rename(tmp, file);
  }
  return file;
}

async function post(file: Blob, fields: Record<string, string>, auth = true): Promise<Response> {
  const form = new FormData();
  form.set('file', file, 'audio');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${url}/v1/audio/transcriptions`, {
    method: 'POST',
    body: form,
    headers: auth ? { authorization: `Bearer ${token}` } : {},
  });
}

describe('POST /v1/audio/transcriptions (issue 8)', () => {
  it('recognises one utterance through the OpenAI-compatible adapter, with word times', async () => {
    const samples = await goForward();
    const { words } = await adapter.recognize({ samples, sampleRate: 16000, language: 'en-US' });
    expect(words.map((w) => w.text).join(' ')).toMatch(/forward/);
    const seconds = samples.length / 16000;
    for (const w of words) {
      expect(w.startTimeMillis).toBeGreaterThanOrEqual(0);
      expect(w.endTimeMillis).toBeLessThanOrEqual(seconds * 1000 + 1);
      expect(w.endTimeMillis).toBeGreaterThan(w.startTimeMillis);
    }
  });

  it('serves a whole two-channel call when the pipeline uses the adapter as its engine', async () => {
    const call = await generateCall(
      {
        id: 'test-api-short',
        turns: [
          [1, 'hi i am checking on the order we placed on monday'],
          [2, 'of course what is the order number'],
        ],
      },
      { voices: [TUNING_VOICES[0], TUNING_VOICES[1]] },
    );
    const transcript = await transcribeFile(call.path, { recognizer: adapter });
    expect(transcript.utterances.map((u) => u.channel)).toEqual([1, 2]);
    expect(transcript.utterances[1]!.text).toMatch(/order/);
    expect(
      Math.abs(transcript.utterances[1]!.startTimeMillis - call.channels[1]!.utterances[0]!.startMillis),
    ).toBeLessThanOrEqual(300);
  });

  it('answers verbose_json, json, text, srt and vtt; mono input is fine here', async () => {
    const wav = new Blob([await readFile(await speechMono())], { type: 'audio/wav' });
    const verbose = (await (
      await post(wav, { model: 'whisper-1', response_format: 'verbose_json' })
    ).json()) as {
      task: string;
      duration: number;
      text: string;
      segments: { start: number; end: number; text: string }[];
      words: { word: string; start: number; end: number }[];
    };
    expect(verbose.task).toBe('transcribe');
    expect(verbose.duration).toBeCloseTo(2.79, 1);
    expect(verbose.text).toMatch(/forward/);
    expect(verbose.segments.length).toBeGreaterThan(0);
    expect(verbose.words.length).toBeGreaterThan(1);
    // Longer than one utterance (15.7 s of librivox): the server cuts it with its own VAD first.
    const long = new Blob([await readFile(await librivoxMemo())], { type: 'audio/wav' });
    const json = (await (await post(long, {})).json()) as { text: string };
    const references = (await readFile(path.join(LIBRIVOX, 'transcription'), 'utf8'))
      .split('\n')
      .filter((line) => /-(0870|0890|0930)\)/.test(line))
      .map((line) => normalizeText(line.replace(/\(.*\)/, '').replace(/<\/?s>/g, '')))
      .join(' ')
      .split(' ');
    const heard = new Set(normalizeText(json.text).split(' '));
    expect(references.filter((w) => heard.has(w)).length / references.length).toBeGreaterThan(0.5);
    expect(await (await post(wav, { response_format: 'text' })).text()).toBe(`${verbose.text}\n`);
    const vtt = await (await post(wav, { response_format: 'vtt' })).text();
    expect(vtt).toMatch(/^WEBVTT\n\n00:00:0\d\.\d{3} --> 00:00:0\d\.\d{3}\n.*forward/);
    const srt = await (await post(wav, { response_format: 'srt' })).text();
    expect(srt).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\n.*forward/);
  });

  it('refuses what the engine refuses, in OpenAI’s error shape', async () => {
    const mp3 = (await refusalFixtures()).find((f) => f.name === 'MP3')!;
    const response = await post(new Blob([await readFile(mp3.path)]), {});
    expect(response.status).toBe(415);
    const body = (await response.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'E_AUDIO_UNSUPPORTED_FORMAT' });
    expect(body.error.message).toMatch(/MP3/);
    await expect(
      createOpenAiCompatibleRecognizer({ baseUrl: url }).recognize({
        samples: await goForward(),
        sampleRate: 16000,
        language: 'en-US',
      }),
    ).rejects.toSatisfy(
      (e: unknown) => e instanceof AppError && e.code === 'E_ASR_FAILED' && /401/.test(e.message),
    );
  });

  it('requires a token, a file, a known response_format, and a file under the size limit', async () => {
    const wav = new Blob([await readFile(await speechMono())]);
    expect((await post(wav, {}, false)).status).toBe(401);
    expect((await post(wav, { response_format: 'xml' })).status).toBe(400);
    const form = new FormData();
    form.set('model', 'whisper-1');
    const missing = await fetch(`${url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(400);
    const big = await post(new Blob([Buffer.alloc(1024 * 1024 + 10)]), {});
    expect(big.status).toBe(413);
  });
});
