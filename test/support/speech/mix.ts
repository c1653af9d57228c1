/**
 * Renders a placed timeline of clips into an interleaved multi-channel float file, block by block
 * (bounded memory even for hour-long calls), with faint crosstalk of every channel into the others
 * and optional white noise, then converts it with sox/ffmpeg into the requested container/encoding.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { MIX_RATE, run } from './synthesis.js';

export interface PlacedClip {
  channel: number;
  startSample: number;
  samples: Float32Array;
  gain: number;
}

export type Encoding = 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'pcm8' | 'mulaw' | 'alaw';
/** wav/flac/mp4 are what callscribe accepts; mp3/ogg exist to test refusals. */
export type Container = 'wav' | 'flac' | 'mp4' | 'mp3' | 'ogg';

export interface RenderOptions {
  channels: number;
  totalSamples: number;
  /** Level of each channel's leak into the others, in dB (e.g. -30); null: no leak. */
  crosstalkDb: number | null;
  crosstalkDelayMillis: number;
  /** RMS level of white noise added to every channel, dBFS; null: none. */
  noiseDb: number | null;
  seed: number;
}

const BLOCK = MIX_RATE * 10;

/** Writes interleaved little-endian float32 at MIX_RATE to `rawPath`. */
export async function renderRaw(clips: PlacedClip[], options: RenderOptions, rawPath: string): Promise<void> {
  const out = createWriteStream(rawPath);
  const leak = options.crosstalkDb === null ? 0 : 10 ** (options.crosstalkDb / 20);
  const delay = Math.round((options.crosstalkDelayMillis / 1000) * MIX_RATE);
  const noise = options.noiseDb === null ? 0 : 10 ** (options.noiseDb / 20);
  const random = gaussian(options.seed);
  const n = options.channels;
  for (let block = 0; block < options.totalSamples; block += BLOCK) {
    const length = Math.min(BLOCK, options.totalSamples - block);
    const clean = Array.from({ length: n }, (_, c) => renderClean(clips, c + 1, block, length));
    const leaked = leak
      ? Array.from({ length: n }, (_, c) => renderClean(clips, c + 1, block - delay, length))
      : [];
    const frame = new Float32Array(length * n);
    for (let c = 0; c < n; c++) {
      const own = clean[c]!;
      for (let i = 0; i < length; i++) {
        let v = own[i]!;
        if (leak) for (let o = 0; o < n; o++) if (o !== c) v += leak * leaked[o]![i]!;
        if (noise) v += noise * random();
        frame[i * n + c] = Math.max(-1, Math.min(1, v));
      }
    }
    if (!out.write(Buffer.from(frame.buffer))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function renderClean(clips: PlacedClip[], channel: number, from: number, length: number): Float32Array {
  const buf = new Float32Array(length);
  for (const clip of clips) {
    if (clip.channel !== channel) continue;
    const a = Math.max(from, clip.startSample);
    const b = Math.min(from + length, clip.startSample + clip.samples.length);
    for (let t = a; t < b; t++) buf[t - from]! += clip.gain * clip.samples[t - clip.startSample]!;
  }
  return buf;
}

/** Box–Muller over a small seeded PRNG (mulberry32): the same seed gives the same noise. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const SOX_ENCODING: Record<Encoding, string[]> = {
  pcm16: ['-e', 'signed-integer', '-b', '16'],
  pcm24: ['-e', 'signed-integer', '-b', '24'],
  pcm32: ['-e', 'signed-integer', '-b', '32'],
  float32: ['-e', 'floating-point', '-b', '32'],
  pcm8: ['-e', 'unsigned-integer', '-b', '8'],
  mulaw: ['-e', 'u-law', '-b', '8'],
  alaw: ['-e', 'a-law', '-b', '8'],
};

export interface EncodeOptions {
  channels: number;
  sampleRate: number;
  encoding: Encoding;
  container: Container;
  /** Band-limit like a telephone line (300–3400 Hz) before encoding. */
  telephoneBand: boolean;
}

/** Converts the raw mix into the target file. */
export async function encode(rawPath: string, target: string, o: EncodeOptions): Promise<void> {
  const input = [
    '-t',
    'raw',
    '-r',
    String(MIX_RATE),
    '-e',
    'floating-point',
    '-b',
    '32',
    '-L',
    '-c',
    String(o.channels),
    rawPath,
  ];
  const effects = [...(o.telephoneBand ? ['sinc', '300-3400'] : []), 'rate', '-v', String(o.sampleRate)];
  if (o.container === 'wav' || o.container === 'flac') {
    const enc =
      o.container === 'flac' ? ['-b', o.encoding === 'pcm24' ? '24' : '16'] : SOX_ENCODING[o.encoding];
    await run('sox', ['-D', '-R', ...input, '-t', o.container, ...enc, target, ...effects]);
    return;
  }
  const wav = `${target}.src.wav`;
  try {
    await run('sox', ['-D', '-R', ...input, '-t', 'wav', '-b', '16', wav, ...effects]);
    const codec = {
      mp4: ['-c:a', 'aac', '-b:a', '96k', '-f', 'mp4'],
      mp3: ['-c:a', 'libmp3lame', '-f', 'mp3'],
      ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
    }[o.container];
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, ...codec, target]);
  } finally {
    await rm(wav, { force: true });
  }
}
