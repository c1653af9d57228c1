/**
 * The transcription pipeline, as stages that are functions:
 * file → probe (container, encoding, channels) → per-channel analysis in child processes (decode,
 * level, Silero VAD) → channel checks (silent, same signal) → crosstalk suppression → utterances
 * → second streamed pass cutting utterances → recogniser (in parallel, bounded) → merge → analytics.
 */
import { availableParallelism } from 'node:os';
import { AppError } from '../core/errors.js';
import type { Recognizer } from '../core/ports/recognizer.js';
import type { Speaker, TimedWord, Transcript } from '../core/transcript.js';
import { checkDistinctChannels, checkNoSilentChannel } from './channels/channel-checks.js';
import { isLeakWord, leakMasks, suppressLeaks } from './channels/crosstalk.js';
import { cutSegments } from './decode/cut-segments.js';
import { type AudioInfo, probeAudio } from './decode/ffprobe.js';
import { mergeTranscript, type RecognisedSegment, resolveSpeakers } from './merge/merge-transcript.js';
import { analyseChannelInChild } from './vad/analyse-in-child.js';
import type { ChannelAnalysis } from './vad/channel-analysis.js';
import { type SegmentOptions, type SpeechSegment, segmentSpeech } from './vad/segment-speech.js';
import type { VadRate } from './vad/silero-vad.js';

export interface TranscriptionProgress {
  stage: 'analysing' | 'recognising' | 'done';
  /** 0..1 over the whole job. */
  fraction: number;
}

export interface TranscribeOptions {
  recognizer: Recognizer;
  /** BCP-47 language passed to the engine. Default `en-US`. */
  language?: string;
  /** Speaker per channel (index 0 = channel 1, the caller); unset fields keep the defaults. */
  speakers?: readonly (Partial<Speaker> | undefined)[];
  onProgress?: (progress: TranscriptionProgress) => void;
  signal?: AbortSignal;
  /** Utterance cutting rules; defaults in segment-speech.ts. */
  segmentation?: Partial<SegmentOptions>;
  /** Utterances recognised at once. Default: the number of cores. */
  concurrency?: number;
}

/**
 * The VAD always runs at 16 kHz (ffmpeg upsamples telephone audio): Silero's 16 kHz path finds the
 * soft starts of words in band-limited 8 kHz speech that its 8 kHz path misses.
 */
export const ANALYSIS_RATE = 16000;

/** 16 kHz for wideband sources when the engine takes it, else 8 kHz (telephone band). */
export function workingRate(sourceRate: number, engineRates: readonly number[]): VadRate {
  if (sourceRate >= 16000 && engineRates.includes(16000)) return 16000;
  if (engineRates.includes(8000)) return 8000;
  return 16000;
}

/** Runs `task` over `items` with at most `limit` at once, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Decoded length must match the header's: a shorter decode is a truncated file. */
function checkComplete(info: AudioInfo, analyses: readonly ChannelAnalysis[], rate: number): number {
  const decodedMillis = Math.round(((analyses[0]?.samples ?? 0) * 1000) / rate);
  if (decodedMillis === 0) throw new AppError('E_AUDIO_EMPTY', 'The recording holds no audio samples.');
  if (info.durationMillis > 0 && decodedMillis < info.durationMillis * 0.97 - 250) {
    throw new AppError(
      'E_AUDIO_CORRUPT',
      `The recording is truncated: its header says ${(info.durationMillis / 1000).toFixed(1)} s but only ${(decodedMillis / 1000).toFixed(1)} s could be decoded.`,
    );
  }
  return decodedMillis;
}

/** Per channel, the utterances to recognise (leaks suppressed); refuses a channel without speech. */
export function findUtterances(
  analyses: readonly ChannelAnalysis[],
  durationMillis: number,
  segmentation: Partial<SegmentOptions> = {},
): SpeechSegment[][] {
  const windowMillis = (analyses[0]!.window * 1000) / analyses[0]!.sampleRate;
  const rms = analyses.map((a) => a.rms);
  const masks = analyses.length > 1 ? leakMasks(rms, windowMillis) : [];
  return analyses.map((a, i) => {
    const probability = masks[i] ? suppressLeaks(a.probability, masks[i]) : a.probability;
    const segments = segmentSpeech(probability, windowMillis, durationMillis, segmentation);
    if (segments.length === 0 && analyses.length > 1) {
      throw new AppError(
        'E_AUDIO_SILENT_CHANNEL',
        `Channel ${i + 1} carries no speech of its own: each speaker must be on their own channel.`,
        { extra: { channel: i + 1 } },
      );
    }
    return segments;
  });
}

/** Wraps engine failures that are not already AppErrors. */
function asrFailure(recognizer: Recognizer, error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError(
    'E_ASR_FAILED',
    `The ${recognizer.name} recogniser failed: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
    },
  );
}

function shiftWords(words: readonly TimedWord[], offset: number, end: number): TimedWord[] {
  return words.map((w) => ({
    text: w.text,
    startTimeMillis: Math.round(Math.min(end, offset + Math.max(0, w.startTimeMillis))),
    endTimeMillis: Math.round(Math.min(end, offset + Math.max(0, w.endTimeMillis))),
    confidence: Number(Math.min(1, Math.max(0, w.confidence)).toFixed(4)),
  }));
}

export interface RecogniseOptions {
  path: string;
  /** 0-based source channel per entry of `segments`, or undefined for a mono downmix. */
  channels: readonly (number | undefined)[];
  segments: readonly SpeechSegment[][];
  sampleRate: number;
  recognizer: Recognizer;
  language: string;
  concurrency: number;
  signal?: AbortSignal;
  onSegmentDone?: (millis: number) => void;
}

/**
 * Streams every channel once more and recognises its utterances, all channels at once, at most
 * `concurrency` utterances in flight (a channel's stream waits while the engine is busy).
 */
export async function recogniseSegments(o: RecogniseOptions): Promise<RecognisedSegment[]> {
  const out: RecognisedSegment[] = [];
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const acquire = async () => {
    while (inFlight >= o.concurrency) await new Promise<void>((resolve) => waiters.push(resolve));
    inFlight++;
  };
  const release = () => {
    inFlight--;
    waiters.shift()?.();
  };
  const tasks: Promise<void>[] = [];
  let failure: unknown;
  await Promise.all(
    o.segments.map(async (segments, i) => {
      for await (const cut of cutSegments(o.path, {
        channel: o.channels[i],
        sampleRate: o.sampleRate,
        segments,
        signal: o.signal,
      })) {
        if (failure || o.signal?.aborted) break;
        await acquire();
        const task = o.recognizer
          .recognize({ samples: cut.samples, sampleRate: o.sampleRate, language: o.language })
          .then((result) => {
            out.push({
              channel: i + 1,
              startMillis: cut.startMillis,
              endMillis: cut.endMillis,
              words: shiftWords(result.words, cut.startMillis, cut.endMillis),
            });
            o.onSegmentDone?.(cut.endMillis - cut.startMillis);
          })
          .catch((error: unknown) => {
            failure ??= asrFailure(o.recognizer, error);
          })
          .finally(release);
        tasks.push(task);
      }
    }),
  );
  await Promise.all(tasks);
  o.signal?.throwIfAborted();
  if (failure) throw failure;
  return out;
}

/** What the analysis stages found in a call, before any recognition. */
export interface CallAnalysis {
  info: AudioInfo;
  /** The rate utterances are cut and recognised at (8000 or 16000); the VAD runs at {@link ANALYSIS_RATE}. */
  sampleRate: VadRate;
  /** Decoded length. */
  durationMillis: number;
  /** Per channel: level and VAD series. */
  analyses: ChannelAnalysis[];
  /** Per channel: the utterances to recognise, leaks suppressed. */
  segments: SpeechSegment[][];
}

/**
 * The stages before recognition: probe and refuse what cannot be transcribed (format, encoding,
 * mono, truncated), analyse each channel in a child process (in parallel), refuse silent or
 * duplicated channels, suppress crosstalk, and cut utterances.
 */
export async function analyseCall(
  path: string,
  options: {
    engineRates: readonly number[];
    concurrency?: number;
    segmentation?: Partial<SegmentOptions>;
    signal?: AbortSignal;
    onProgress?: (fraction: number) => void;
  },
): Promise<CallAnalysis> {
  const info = await probeAudio(path);
  if (info.channels < 2) {
    throw new AppError('E_AUDIO_MONO', 'The recording is mono: each speaker must be on their own channel.');
  }
  const rate = workingRate(info.sampleRate, options.engineRates);
  const vadRate = ANALYSIS_RATE;
  const expected = Math.max(1, (info.durationMillis * vadRate) / 1000) * info.channels;
  const decoded = new Array<number>(info.channels).fill(0);
  const channelIndexes = Array.from({ length: info.channels }, (_, i) => i);
  const analyses = await mapLimit(channelIndexes, options.concurrency ?? availableParallelism(), (channel) =>
    analyseChannelInChild({
      path,
      channel,
      sampleRate: vadRate,
      signal: options.signal,
      onProgress: (samples) => {
        decoded[channel] = samples;
        options.onProgress?.(Math.min(1, decoded.reduce((a, b) => a + b, 0) / expected));
      },
    }),
  );
  options.signal?.throwIfAborted();
  const durationMillis = checkComplete(info, analyses, vadRate);
  const windowMillis = (analyses[0]!.window * 1000) / vadRate;
  checkNoSilentChannel(analyses.map((a) => a.rms));
  checkDistinctChannels(
    analyses.map((a) => a.rms),
    windowMillis,
  );
  const segments = findUtterances(analyses, durationMillis, options.segmentation);
  return { info, sampleRate: rate, durationMillis, analyses, segments };
}

/**
 * Transcribes a multi-channel call recording: one speaker per channel, channel 1 the caller.
 * @throws AppError `E_AUDIO_*` when the recording is refused (see `isPermanentAudioError`),
 *   `E_ASR_FAILED` when the engine fails.
 */
export async function transcribeFile(path: string, options: TranscribeOptions): Promise<Transcript> {
  const { recognizer, signal } = options;
  const report = options.onProgress ?? (() => undefined);
  const concurrency = options.concurrency ?? availableParallelism();
  report({ stage: 'analysing', fraction: 0 });
  const call = await analyseCall(path, {
    engineRates: recognizer.sampleRates,
    concurrency,
    segmentation: options.segmentation,
    signal,
    onProgress: (fraction) => report({ stage: 'analysing', fraction: 0.3 * fraction }),
  });
  const speechMillis = call.segments.flat().reduce((n, s) => n + s.endMillis - s.startMillis, 0);
  let doneMillis = 0;
  report({ stage: 'recognising', fraction: 0.3 });
  const recognised = await recogniseSegments({
    path,
    channels: call.analyses.map((_, i) => i),
    segments: call.segments,
    sampleRate: call.sampleRate,
    recognizer,
    language: options.language ?? 'en-US',
    concurrency,
    signal,
    onSegmentDone: (millis) => {
      doneMillis += millis;
      report({ stage: 'recognising', fraction: 0.3 + (0.7 * doneMillis) / Math.max(1, speechMillis) });
    },
  });
  const windowMillis = (call.analyses[0]!.window * 1000) / ANALYSIS_RATE;
  const rms = call.analyses.map((a) => a.rms);
  for (const segment of recognised) {
    segment.words = segment.words.filter(
      (w) => !isLeakWord(rms, segment.channel - 1, windowMillis, w.startTimeMillis, w.endTimeMillis),
    );
  }
  const speakers = resolveSpeakers(call.info.channels, options.speakers);
  const transcript = mergeTranscript(call.durationMillis, speakers, recognised);
  report({ stage: 'done', fraction: 1 });
  return transcript;
}
