/**
 * The whole engine on generated calls (flite voices mixed by sox with a -30 dB crosstalk leak) and
 * on pocketsphinx-testdata speech: speaker attribution, timings within 300 ms of where speech was
 * placed, leaks never becoming the wrong speaker's words, every accepted container and encoding.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOFORWARD_RAW, LIBRIVOX } from '../../test/support/audio-fixtures.js';
import {
  type CallOptions,
  type Dialogue,
  type GeneratedCall,
  generateCall,
  normalizeText,
  TUNING_VOICES,
} from '../../test/support/speech-corpus.js';
import type { Recognizer } from '../core/ports/recognizer.js';
import type { Transcript } from '../core/transcript.js';
import { createPocketsphinxRecognizer } from './asr/pocketsphinx-recognizer.js';
import { analyseCall, type TranscriptionProgress, transcribeFile } from './pipeline.js';

const run = promisify(execFile);
const TOLERANCE = 300;

/** A short call (about 12 s) with turns, pauses and one overlap, in tuning voices. */
const DIALOGUE: Dialogue = {
  id: 'test-short-order',
  turns: [
    [1, 'hi i am checking on the order we placed on monday'],
    [2, 'of course what is the order number'],
    [1, 'it is three three eight nine', 900],
    [2, 'it should arrive by wednesday at the latest'],
    [1, 'can you send me the tracking link', -300],
  ],
};
const VOICES = [TUNING_VOICES[0], TUNING_VOICES[1]];

let recognizer: Recognizer;
beforeAll(() => {
  recognizer = createPocketsphinxRecognizer();
});
afterAll(async () => {
  await recognizer.close();
});

const call = (options: CallOptions = {}) => generateCall(DIALOGUE, { voices: VOICES, ...options });

/** Each placed utterance is found on its own channel, its start and end within 300 ms. */
function expectTimedAndAttributed(transcript: Transcript, truth: GeneratedCall): void {
  for (const channel of truth.channels) {
    const own = transcript.utterances.filter((u) => u.channel === channel.channel);
    for (const placed of channel.utterances) {
      const found = own.filter(
        (u) => u.endTimeMillis > placed.startMillis && u.startTimeMillis < placed.endMillis,
      );
      expect(found.length, `"${placed.text}" on channel ${channel.channel}`).toBeGreaterThan(0);
      expect(
        Math.abs(Math.min(...found.map((u) => u.startTimeMillis)) - placed.startMillis),
      ).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(Math.max(...found.map((u) => u.endTimeMillis)) - placed.endMillis)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  }
  // No word is heard where only the other party spoke: the leak never becomes this speaker's words.
  for (const u of transcript.utterances) {
    const mine = truth.channels[u.channel - 1]!.utterances;
    for (const w of u.words) {
      const middle = (w.startTimeMillis + w.endTimeMillis) / 2;
      const inOwnSpeech = mine.some(
        (p) => middle >= p.startMillis - TOLERANCE && middle <= p.endMillis + TOLERANCE,
      );
      expect(inOwnSpeech, `"${w.text}" at ${middle} ms on channel ${u.channel}`).toBe(true);
    }
  }
}

/** Share of the reference words the hypothesis contains (a bag-of-words recall). */
function recall(reference: string, hypothesis: string): number {
  const said = normalizeText(hypothesis).split(' ');
  const words = normalizeText(reference).split(' ');
  return words.filter((w) => said.includes(w)).length / words.length;
}

describe('transcribeFile (issue 8)', () => {
  it('transcribes a wideband two-channel call: speakers, timings, no crosstalk words, analytics', async () => {
    const truth = await call();
    const progress: TranscriptionProgress[] = [];
    const transcript = await transcribeFile(truth.path, { recognizer, onProgress: (p) => progress.push(p) });
    expect(transcript.channels).toBe(2);
    expect(Math.abs(transcript.durationMillis - truth.durationMillis)).toBeLessThan(50);
    expectTimedAndAttributed(transcript, truth);
    const caller = transcript.utterances.filter((u) => u.channel === 1);
    expect(caller.every((u) => u.speaker.id === 'caller' && u.speaker.name === 'Caller')).toBe(true);
    expect(transcript.utterances.filter((u) => u.channel === 2)[0]!.speaker).toEqual({
      id: 'recipient',
      name: 'Recipient',
    });
    const callerText = caller.map((u) => u.text).join(' ');
    expect(recall(truth.channels[0]!.utterances.map((u) => u.text).join(' '), callerText)).toBeGreaterThan(
      0.5,
    );
    // Ordered by time; words inside their utterance; confidences in 0..1.
    const starts = transcript.utterances.map((u) => u.startTimeMillis);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const u of transcript.utterances) {
      expect(u.text).toBe(u.words.map((w) => w.text).join(' '));
      expect(u.words[0]!.startTimeMillis).toBe(u.startTimeMillis);
      for (const w of u.words) expect(w.confidence).toBeGreaterThanOrEqual(0);
      expect(u.confidence).toBeLessThanOrEqual(1);
    }
    const { analytics } = transcript;
    expect(analytics.speakers.map((s) => s.channel)).toEqual([1, 2]);
    expect(analytics.speakers[0]!.talkRatio + analytics.speakers[1]!.talkRatio).toBeCloseTo(1, 3);
    const placedTalk = truth.channels[0]!.utterances.reduce((n, u) => n + u.endMillis - u.startMillis, 0);
    expect(Math.abs(analytics.speakers[0]!.talkTimeMillis - placedTalk)).toBeLessThan(TOLERANCE * 4);
    expect(analytics.silenceMillis).toBeGreaterThan(0);
    expect(analytics.speakers[0]!.wordsPerMinute).toBeGreaterThan(60);
    // Progress: from 0 to 1, never backwards.
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ stage: 'done', fraction: 1 });
  });

  it('transcribes an 8 kHz μ-law telephone call, naming speakers as the library’s caller asks', async () => {
    const truth = await call({ sampleRate: 8000, encoding: 'mulaw' });
    const transcript = await transcribeFile(truth.path, {
      recognizer,
      speakers: [{ id: 'owner-7', name: 'Ana Lopez', email: 'ana@example.com' }, { name: 'Bo Chen' }],
    });
    expectTimedAndAttributed(transcript, truth);
    expect(transcript.utterances.find((u) => u.channel === 1)!.speaker).toEqual({
      id: 'owner-7',
      name: 'Ana Lopez',
      email: 'ana@example.com',
    });
    expect(transcript.utterances.find((u) => u.channel === 2)!.speaker).toEqual({
      id: 'recipient',
      name: 'Bo Chen',
    });
  });

  it('transcribes a two-channel call made of pocketsphinx-testdata recordings', async () => {
    const dir = path.join(tmpdir(), 'callscribe-audio-fixtures-v1');
    const file = path.join(dir, 'testdata-call.wav');
    const first = path.join(LIBRIVOX, 'sense_and_sensibility_01_austen_64kb-0870.wav');
    if (!existsSync(file)) {
      await mkdir(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp.wav`;
      const { stdout } = await run('soxi', ['-D', first]);
      const firstSeconds = Number(stdout);
      // Channel 1: the librivox sentence at 0.5 s; channel 2: "go forward ten meters" 0.8 s after it.
      await run('sox', [
        '-M',
        '|sox ' + `${first} -p pad 0.5 3.8`,
        `|sox -t raw -r 16000 -e signed -b 16 -c 1 ${GOFORWARD_RAW} -p pad ${(firstSeconds + 1.3).toFixed(2)} 0.5`,
        tmp,
      ]);
      await rename(tmp, file);
    }
    const transcript = await transcribeFile(file, { recognizer });
    const text = (channel: number) =>
      transcript.utterances
        .filter((u) => u.channel === channel)
        .map((u) => u.text)
        .join(' ');
    expect(recall('go forward ten meters', text(2))).toBeGreaterThanOrEqual(0.75);
    const reference = (await import('node:fs/promises')).readFile(
      path.join(LIBRIVOX, 'transcription'),
      'utf8',
    );
    const line = (await reference).split('\n').find((l) => l.includes('0870'))!;
    expect(recall(line.replace(/\(.*\)/, ''), text(1))).toBeGreaterThan(0.5);
    expect(transcript.utterances.find((u) => u.channel === 2)!.startTimeMillis).toBeGreaterThan(
      transcript.utterances.filter((u) => u.channel === 1).at(-1)!.endTimeMillis,
    );
  });
});

describe('more participants, cancellation (issue 8)', () => {
  it('gives a third channel to a third participant', async () => {
    const file = path.join(tmpdir(), 'callscribe-audio-fixtures-v1', 'three-channels.wav');
    if (!existsSync(file)) {
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp.wav`;
      await run('sox', [
        '-M',
        `|sox -t raw -r 16000 -e signed -b 16 -c 1 ${GOFORWARD_RAW} -p pad 0.3 7.7`,
        `|sox ${path.join(LIBRIVOX, 'sense_and_sensibility_01_austen_64kb-0880.wav')} -p pad 3.6 4.2`,
        `|sox ${path.join(LIBRIVOX, 'sense_and_sensibility_01_austen_64kb-0930.wav')} -p pad 7.1 0.4`,
        tmp,
      ]);
      await rename(tmp, file);
    }
    const transcript = await transcribeFile(file, { recognizer });
    expect(transcript.channels).toBe(3);
    expect([...new Set(transcript.utterances.map((u) => u.channel))]).toEqual([1, 2, 3]);
    expect(transcript.utterances.find((u) => u.channel === 3)!.speaker).toEqual({
      id: 'participant-3',
      name: 'Participant 3',
    });
    expect(transcript.utterances.find((u) => u.channel === 3)!.startTimeMillis).toBeGreaterThan(6900);
    expect(transcript.analytics.speakers.map((s) => s.channel)).toEqual([1, 2, 3]);
  });

  it('stops when its signal is aborted', async () => {
    const truth = await call();
    const controller = new AbortController();
    const started = transcribeFile(truth.path, {
      recognizer,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'recognising') controller.abort(new Error('job cancelled'));
      },
    });
    await expect(started).rejects.toThrow('job cancelled');
  });
});

describe('accepted containers and encodings (issue 8)', () => {
  const cases: [string, CallOptions][] = [
    ['WAV 16-bit PCM 16 kHz', { encoding: 'pcm16', sampleRate: 16000 }],
    ['WAV 24-bit PCM 44.1 kHz', { encoding: 'pcm24', sampleRate: 44100 }],
    ['WAV 32-bit PCM 48 kHz', { encoding: 'pcm32', sampleRate: 48000 }],
    ['WAV 32-bit float 22.05 kHz', { encoding: 'float32', sampleRate: 22050 }],
    ['WAV 8-bit 11.025 kHz', { encoding: 'pcm8', sampleRate: 11025 }],
    ['WAV μ-law 8 kHz', { encoding: 'mulaw', sampleRate: 8000 }],
    ['WAV A-law 8 kHz', { encoding: 'alaw', sampleRate: 8000 }],
    ['FLAC 16-bit 8 kHz', { container: 'flac', sampleRate: 8000 }],
    ['FLAC 24-bit 48 kHz', { container: 'flac', encoding: 'pcm24', sampleRate: 48000 }],
    ['MP4 (AAC) 16 kHz', { container: 'mp4', sampleRate: 16000 }],
  ];
  it.each(cases)('finds each speaker’s speech where it was placed in %s', async (_, options) => {
    const truth = await call(options);
    const analysis = await analyseCall(truth.path, { engineRates: [8000, 16000] });
    expect(analysis.sampleRate).toBe((options.sampleRate ?? 16000) >= 16000 ? 16000 : 8000);
    for (const channel of truth.channels) {
      const segments = analysis.segments[channel.channel - 1]!;
      // Every placed utterance is covered (segments carry 200 ms of padding either side) …
      for (const placed of channel.utterances) {
        const found = segments.filter(
          (s) => s.endMillis > placed.startMillis && s.startMillis < placed.endMillis,
        );
        expect(found.length, `"${placed.text}"`).toBeGreaterThan(0);
        expect(Math.abs(found[0]!.startMillis + 200 - placed.startMillis)).toBeLessThanOrEqual(TOLERANCE);
      }
      // … and no segment lies where only the other party spoke (its leak is suppressed).
      for (const s of segments) {
        expect(
          channel.utterances.some((p) => s.endMillis > p.startMillis && s.startMillis < p.endMillis),
        ).toBe(true);
      }
    }
  });
});
