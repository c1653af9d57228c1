/**
 * The generated speech corpus: two-channel (or more) calls spoken by Debian `flite` voices from a
 * dialogue script and mixed with sox — turns with known start times, overlaps, silences, a faint
 * delayed leak of each channel into the others, optional noise — in any accepted container and
 * encoding, returned with their ground truth. Also the Debian `pocketsphinx-testdata` recordings
 * with their reference transcripts.
 *
 * Honesty rule: the TUNING set (dialogues and voices) is what the recogniser may be tuned and
 * adapted on; the EVALUATION set (other sentences, other voices) is only ever measured.
 * Generated audio is cached under os.tmpdir() and never committed.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Dialogue,
  EVALUATION_DIALOGUES,
  EVALUATION_VOICES,
  TUNING_DIALOGUES,
  TUNING_VOICES,
} from './speech/dialogues.js';
import { type Container, type Encoding, encode, type PlacedClip, renderRaw } from './speech/mix.js';
import { CACHE_DIR, cached, cacheKey, MIX_RATE, readPcm16, speak } from './speech/synthesis.js';

export { readPcm16, speak } from './speech/synthesis.js';
export type { Container, Dialogue, Encoding };
export { EVALUATION_DIALOGUES, EVALUATION_VOICES, TUNING_DIALOGUES, TUNING_VOICES };

export interface TruthUtterance {
  text: string;
  startMillis: number;
  endMillis: number;
}

export interface ChannelTruth {
  /** 1-based; channel 1 is the caller. */
  channel: number;
  voice: string;
  utterances: TruthUtterance[];
}

export interface GeneratedCall {
  path: string;
  sampleRate: number;
  encoding: Encoding;
  container: Container;
  durationMillis: number;
  channels: ChannelTruth[];
}

export interface CallOptions {
  /** One flite voice per channel; default: the first two voices of the dialogue's set. */
  voices?: readonly string[];
  /** Output sample rate; default 16000. */
  sampleRate?: number;
  /** Default `pcm16` (`mulaw` is typical for 8 kHz telephone audio). */
  encoding?: Encoding;
  /** Default `wav`. */
  container?: Container;
  /** Leak of each channel into the others in dB; default -30; null for none. */
  crosstalkDb?: number | null;
  /** Delay of the leak; default 20 ms. */
  crosstalkDelayMillis?: number;
  /** White noise RMS level in dBFS (e.g. -50); default none. */
  noiseDb?: number | null;
  /** Peak level per channel in dBFS; default [-3, -6, -4, …]. */
  levelsDb?: readonly number[];
  /** Band-limit to 300–3400 Hz; default true when sampleRate ≤ 8000. */
  telephoneBand?: boolean;
  /** Silence before the first and after the last turn; default 500 ms. */
  paddingMillis?: number;
  /** Keep repeating the dialogue's turns until the call is at least this long (long-call benches). */
  minDurationMillis?: number;
  /** Number of channels; default 2 (turns naming channel 3+ need this). */
  channels?: number;
}

const DEFAULT_GAP = 600;

/** Generates (or reuses from the cache) one call from a dialogue script. */
export async function generateCall(dialogue: Dialogue, options: CallOptions = {}): Promise<GeneratedCall> {
  const o = resolve(dialogue, options);
  const key = cacheKey(['call', dialogue, o]);
  const file = path.join(
    CACHE_DIR,
    'calls',
    `${dialogue.id}-${key}.${o.container === 'mp4' ? 'm4a' : o.container}`,
  );
  const truthFile = `${file}.truth.json`;
  if (existsSync(file) && existsSync(truthFile)) {
    return JSON.parse(await readFile(truthFile, 'utf8')) as GeneratedCall;
  }
  const { clips, truth, durationMillis } = await place(dialogue, o);
  await cached(file, async (tmp) => {
    const raw = `${tmp}.f32`;
    try {
      const totalSamples = Math.ceil((durationMillis / 1000) * MIX_RATE);
      const render = { channels: o.channels, totalSamples, crosstalkDb: o.crosstalkDb };
      await renderRaw(
        clips,
        { ...render, crosstalkDelayMillis: o.crosstalkDelayMillis, noiseDb: o.noiseDb, seed: 7 },
        raw,
      );
      await encode(raw, tmp, o);
    } finally {
      await rm(raw, { force: true });
    }
  });
  const call: GeneratedCall = {
    path: file,
    sampleRate: o.sampleRate,
    encoding: o.encoding,
    container: o.container,
    durationMillis,
    channels: truth,
  };
  await writeFile(truthFile, JSON.stringify(call));
  return call;
}

type Resolved = Required<Omit<CallOptions, 'minDurationMillis'>> & { minDurationMillis: number };

function resolve(dialogue: Dialogue, options: CallOptions): Resolved {
  const sampleRate = options.sampleRate ?? 16000;
  const channels = options.channels ?? 2;
  const isEval = EVALUATION_DIALOGUES.includes(dialogue);
  const voices = options.voices ?? (isEval ? EVALUATION_VOICES : TUNING_VOICES);
  return {
    voices: Array.from({ length: channels }, (_, c) => voices[c % voices.length]!),
    sampleRate,
    encoding: options.encoding ?? 'pcm16',
    container: options.container ?? 'wav',
    crosstalkDb: options.crosstalkDb === undefined ? -30 : options.crosstalkDb,
    crosstalkDelayMillis: options.crosstalkDelayMillis ?? 20,
    noiseDb: options.noiseDb ?? null,
    levelsDb: options.levelsDb ?? Array.from({ length: channels }, (_, c) => [-3, -6, -4, -5][c % 4]!),
    telephoneBand: options.telephoneBand ?? sampleRate <= 8000,
    paddingMillis: options.paddingMillis ?? 500,
    minDurationMillis: options.minDurationMillis ?? 0,
    channels,
  };
}

/** Lays the turns out on the timeline: each starts `gap` after the previous ends (never over itself). */
async function place(dialogue: Dialogue, o: Resolved) {
  const truth: ChannelTruth[] = Array.from({ length: o.channels }, (_, c) => ({
    channel: c + 1,
    voice: o.voices[c]!,
    utterances: [],
  }));
  const clips: PlacedClip[] = [];
  const channelEnd = new Array<number>(o.channels).fill(0);
  let previousEnd = o.paddingMillis - DEFAULT_GAP;
  let end = 0;
  do {
    for (const [channel, text, gap = DEFAULT_GAP] of dialogue.turns) {
      if (channel > o.channels) throw new Error(`turn on channel ${channel} but the call has ${o.channels}`);
      const clip = await speak(text, o.voices[channel - 1]!);
      const startMillis = Math.max(Math.round(previousEnd + gap), channelEnd[channel - 1]! + 300);
      const startSample = Math.round((startMillis / 1000) * MIX_RATE);
      const endMillis = Math.round(((startSample + clip.samples.length) / MIX_RATE) * 1000);
      const peak = clip.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-6);
      const gain = 10 ** (o.levelsDb[channel - 1]! / 20) / peak;
      clips.push({ channel, startSample, samples: clip.samples, gain });
      truth[channel - 1]!.utterances.push({ text, startMillis, endMillis });
      channelEnd[channel - 1] = endMillis;
      previousEnd = Math.max(previousEnd, endMillis);
      end = Math.max(end, endMillis);
    }
    previousEnd += 1500;
  } while (end < o.minDurationMillis);
  return { clips, truth, durationMillis: end + o.paddingMillis };
}

/** One call of a corpus set, with the voices it is spoken in. */
export interface CorpusEntry {
  dialogue: Dialogue;
  voices: readonly [string, string];
}

/** The tuning calls: tuning dialogues in rotating pairs of tuning voices. */
export function tuningCorpus(): CorpusEntry[] {
  return TUNING_DIALOGUES.map((dialogue, i) => ({
    dialogue,
    voices: [TUNING_VOICES[i % 3]!, TUNING_VOICES[(i + 1) % 3]!] as const,
  }));
}

/** The held-out evaluation calls: evaluation dialogues, evaluation voices alternating sides. */
export function evaluationCorpus(): CorpusEntry[] {
  return EVALUATION_DIALOGUES.map((dialogue, i) => ({
    dialogue,
    voices: (i % 2 === 0
      ? [EVALUATION_VOICES[0], EVALUATION_VOICES[1]]
      : [EVALUATION_VOICES[1], EVALUATION_VOICES[0]]) as readonly [string, string],
  }));
}

/** A recording of Debian's `pocketsphinx-testdata` with its reference transcript. */
export interface TestdataRecording {
  id: string;
  /** WAV, or headerless 16-bit little-endian mono PCM when `raw`. */
  path: string;
  raw: boolean;
  sampleRate: number;
  text: string;
}

export const TESTDATA_DIR = '/usr/share/pocketsphinx/test/data';

/** The testdata recordings that come with reference transcripts (librivox, cards, goforward). */
export async function loadPocketsphinxTestdata(): Promise<TestdataRecording[]> {
  const out: TestdataRecording[] = [];
  for (const set of ['librivox', 'cards']) {
    const dir = path.join(TESTDATA_DIR, set);
    const name = set === 'cards' ? 'cards.transcription' : 'transcription';
    const lines = (await readFile(path.join(dir, name), 'utf8')).split('\n');
    for (const line of lines) {
      const m = /^\s*(?:<s>)?(.*?)(?:<\/s>)?\s*\(([^)]+)\)\s*$/.exec(line);
      if (!m) continue;
      const id = m[2]!.trim();
      const text = m[1]!.trim().replace(/\s+/g, ' ');
      out.push({
        id: `${set}/${id}`,
        path: path.join(dir, `${id}.wav`),
        raw: false,
        sampleRate: 16000,
        text,
      });
    }
  }
  // The classic pocketsphinx demo utterance; its words are in pocketsphinx's own test suite.
  out.push({
    id: 'goforward',
    path: path.join(TESTDATA_DIR, 'goforward.raw'),
    raw: true,
    sampleRate: 16000,
    text: 'go forward ten meters',
  });
  return out;
}

/** Reads a testdata recording as 16-bit samples at its own rate. */
export async function readTestdata(recording: TestdataRecording): Promise<Int16Array> {
  if (!recording.raw) return readPcm16(recording.path, recording.sampleRate);
  const bytes = await readFile(recording.path);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~1)));
}

/** Lower case, letters/digits/apostrophes only, single spaces: the scoring normalisation. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\([0-9]+\)/g, '')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
