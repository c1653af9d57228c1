/**
 * Single-speaker transcription (what the OpenAI-compatible API serves): every channel downmixed
 * to mono, then the same VAD, cutting and recognition as calls, without the channel checks.
 */
import { availableParallelism } from 'node:os';
import { AppError } from '../core/errors.js';
import type { Recognizer } from '../core/ports/recognizer.js';
import { probeAudio } from './decode/ffprobe.js';
import type { RecognisedSegment } from './merge/merge-transcript.js';
import { ANALYSIS_RATE, recogniseSegments, workingRate } from './pipeline.js';
import { analyseChannelInChild } from './vad/analyse-in-child.js';
import { DEFAULT_SEGMENT_OPTIONS, segmentSpeech } from './vad/segment-speech.js';

export interface MonoTranscription {
  durationMillis: number;
  /** Recognised utterances in time order; words in call time. */
  segments: RecognisedSegment[];
}

/**
 * Audio this short is recognised whole, without a VAD pass: it is typically one utterance a
 * client's own VAD already cut (callscribe's OpenAI-compatible adapter sends exactly that).
 */
const SINGLE_UTTERANCE_MILLIS = DEFAULT_SEGMENT_OPTIONS.maxUtteranceMillis;

async function findSpeech(path: string, headerMillis: number, signal?: AbortSignal) {
  const analysis = await analyseChannelInChild({ path, sampleRate: ANALYSIS_RATE, signal });
  const durationMillis = Math.round((analysis.samples * 1000) / ANALYSIS_RATE);
  if (durationMillis === 0) throw new AppError('E_AUDIO_EMPTY', 'The recording holds no audio samples.');
  if (headerMillis > 0 && durationMillis < headerMillis * 0.97 - 250) {
    throw new AppError(
      'E_AUDIO_CORRUPT',
      'The recording is truncated: less audio could be decoded than its header says.',
    );
  }
  const windowMillis = (analysis.window * 1000) / ANALYSIS_RATE;
  return { durationMillis, segments: segmentSpeech(analysis.probability, windowMillis, durationMillis) };
}

/** Transcribes any accepted recording as one speaker. Throws the same `E_AUDIO_*` refusals as calls (except mono). */
export async function transcribeMono(
  path: string,
  options: { recognizer: Recognizer; language?: string; signal?: AbortSignal },
): Promise<MonoTranscription> {
  const info = await probeAudio(path);
  const rate = workingRate(info.sampleRate, options.recognizer.sampleRates);
  const { durationMillis, segments } =
    info.durationMillis > 0 && info.durationMillis <= SINGLE_UTTERANCE_MILLIS
      ? {
          durationMillis: info.durationMillis,
          segments: [{ startMillis: 0, endMillis: info.durationMillis }],
        }
      : await findSpeech(path, info.durationMillis, options.signal);
  const recognised = await recogniseSegments({
    path,
    channels: [undefined],
    segments: [segments],
    sampleRate: rate,
    recognizer: options.recognizer,
    language: options.language ?? 'en-US',
    concurrency: availableParallelism(),
    signal: options.signal,
  });
  recognised.sort((a, b) => a.startMillis - b.startMillis);
  return { durationMillis, segments: recognised.filter((s) => s.words.length > 0) };
}
