/**
 * Speech synthesis for generated test audio: Debian `flite` speaks a sentence, sox trims the
 * synthesiser's own leading/trailing silence (so the ground-truth start/end are where speech is)
 * and resamples to 16 kHz mono. Results are cached on disk under os.tmpdir(), keyed by content.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** Bump to invalidate every cached file when the generation changes. */
export const CORPUS_VERSION = 3;

/** The sample rate utterances are synthesised and mixed at. */
export const MIX_RATE = 16000;

/** Root of the generated-audio cache (never committed). */
export const CACHE_DIR = path.join(os.tmpdir(), 'callscribe-speech-corpus');

export function cacheKey(value: unknown): string {
  return createHash('sha1')
    .update(JSON.stringify([CORPUS_VERSION, value]))
    .digest('hex')
    .slice(0, 16);
}

/** Writes through a temporary name and renames, so parallel test files never read half a file. */
export async function cached(file: string, make: (tmp: string) => Promise<void>): Promise<string> {
  if (existsSync(file)) return file;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp${path.extname(file)}`;
  try {
    await make(tmp);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}

export interface SpokenClip {
  text: string;
  voice: string;
  /** Mono float samples in -1..1 at {@link MIX_RATE}, speech from the first to the last sample. */
  samples: Float32Array;
  durationMillis: number;
  /** A 16 kHz 16-bit mono WAV of the clip. */
  wavPath: string;
}

const clipMemo = new Map<string, Promise<SpokenClip>>();

/** Speaks `text` with a flite voice (`flite -lv` lists them), trimmed, at 16 kHz. Cached. */
export function speak(text: string, voice: string): Promise<SpokenClip> {
  const key = cacheKey(['clip', text, voice]);
  let clip = clipMemo.get(key);
  if (!clip) {
    clip = makeClip(text, voice, key);
    clipMemo.set(key, clip);
  }
  return clip;
}

async function makeClip(text: string, voice: string, key: string): Promise<SpokenClip> {
  const wavPath = path.join(CACHE_DIR, 'clips', `${voice}-${key}.wav`);
  await cached(wavPath, async (tmp) => {
    const raw = `${tmp}.flite.wav`;
    try {
      await run('flite', ['-voice', voice, '-t', text, '-o', raw]);
      // Trim the synthesiser's silence at both ends, then resample to the mixing rate.
      await run('sox', [
        raw,
        '-r',
        String(MIX_RATE),
        '-b',
        '16',
        '-c',
        '1',
        tmp,
        'silence',
        '1',
        '0.01',
        '-55d',
        'reverse',
        'silence',
        '1',
        '0.01',
        '-55d',
        'reverse',
      ]);
    } finally {
      await rm(raw, { force: true });
    }
  });
  const samples = pcm16ToFloat(await readWavPcm16(wavPath));
  return { text, voice, samples, durationMillis: (samples.length / MIX_RATE) * 1000, wavPath };
}

/** Reads any file sox understands as mono 16-bit PCM at `sampleRate` (first channel unless `mix`). */
export async function readPcm16(file: string, sampleRate: number, channel = 1): Promise<Int16Array> {
  const { stdout } = await run(
    'sox',
    [
      file,
      '-t',
      'raw',
      '-e',
      'signed-integer',
      '-b',
      '16',
      '-L',
      '-r',
      String(sampleRate),
      '-',
      'remix',
      String(channel),
    ],
    { encoding: 'buffer', maxBuffer: 1 << 30 },
  );
  return new Int16Array(stdout.buffer, stdout.byteOffset, stdout.byteLength / 2).slice();
}

/** Reads a 16-bit mono WAV written by sox (44-byte header) as samples. */
async function readWavPcm16(file: string): Promise<Int16Array> {
  const bytes = await readFile(file);
  const dataAt = bytes.indexOf('data', 12, 'latin1');
  const start = dataAt + 8;
  const copy = bytes.subarray(start, start + ((bytes.length - start) & ~1));
  return new Int16Array(copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength));
}

function pcm16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] ?? 0) / 32768;
  return out;
}
