/**
 * A recogniser that speaks the OpenAI-compatible `POST /v1/audio/transcriptions` API (OpenAI,
 * whisper.cpp's server, faster-whisper servers, and callscribe's own `/v1/audio/transcriptions`):
 * multipart `file`, `model`, `language`, `response_format=verbose_json` with word timestamps.
 * Words come from top-level `words`, else from each segment's `words`, else each segment's text is
 * spread over its time.
 */
import { AppError } from '../../core/errors.js';
import type { RecognitionInput, RecognitionResult, Recognizer } from '../../core/ports/recognizer.js';
import type { TimedWord } from '../../core/transcript.js';
import { encodeWav } from '../formats/wav-encode.js';

export interface OpenAiCompatibleRecognizerOptions {
  /** Server base URL, with or without `/v1` (e.g. `http://127.0.0.1:8080`). */
  baseUrl: string;
  /** The `model` field. Default `whisper-1`. */
  model?: string;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Per-request timeout. Default 120 s. */
  timeoutMillis?: number;
}

/** What verbose_json carries that we read (OpenAI's and whisper.cpp's shapes). */
export interface VerboseTranscription {
  text?: string;
  words?: { word: string; start: number; end: number; probability?: number }[];
  segments?: {
    start: number;
    end: number;
    text: string;
    avg_logprob?: number;
    no_speech_prob?: number;
    words?: { word: string; start: number; end: number; probability?: number }[];
  }[];
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}

function word(text: string, start: number, end: number, confidence: number): TimedWord {
  return {
    text: text.trim(),
    startTimeMillis: Math.round(start * 1000),
    endTimeMillis: Math.round(end * 1000),
    confidence: clamp01(confidence),
  };
}

/** Timed words from a verbose_json body. */
export function wordsFromVerbose(body: VerboseTranscription): TimedWord[] {
  const segments = body.segments ?? [];
  const segmentConfidence = (t: number) => {
    const s = segments.find((x) => t >= x.start && t <= x.end);
    return s?.avg_logprob === undefined ? 1 : Math.exp(s.avg_logprob);
  };
  let words: TimedWord[];
  if (body.words?.length) {
    words = body.words.map((w) => word(w.word, w.start, w.end, w.probability ?? segmentConfidence(w.start)));
  } else if (segments.some((s) => s.words?.length)) {
    words = segments.flatMap((s) =>
      (s.words ?? []).map((w) => word(w.word, w.start, w.end, w.probability ?? Math.exp(s.avg_logprob ?? 0))),
    );
  } else {
    // Segment timing only: spread each segment's words evenly over it.
    words = segments.flatMap((s) => {
      const tokens = s.text.trim().split(/\s+/).filter(Boolean);
      const step = (s.end - s.start) / Math.max(1, tokens.length);
      return tokens.map((t, i) =>
        word(t, s.start + i * step, s.start + (i + 1) * step, Math.exp(s.avg_logprob ?? 0)),
      );
    });
  }
  return words.filter((w) => w.text !== '');
}

export function createOpenAiCompatibleRecognizer(options: OpenAiCompatibleRecognizerOptions): Recognizer {
  const base = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const url = `${base}/v1/audio/transcriptions`;
  const model = options.model ?? 'whisper-1';
  return {
    name: 'openai-compatible',
    sampleRates: [8000, 16000],
    async recognize(input: RecognitionInput): Promise<RecognitionResult> {
      const form = new FormData();
      form.set(
        'file',
        new Blob([new Uint8Array(encodeWav(input.samples, input.sampleRate))], { type: 'audio/wav' }),
        'utterance.wav',
      );
      form.set('model', model);
      form.set('language', input.language.split('-')[0]!.toLowerCase());
      form.set('response_format', 'verbose_json');
      form.append('timestamp_granularities[]', 'word');
      form.append('timestamp_granularities[]', 'segment');
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          body: form,
          headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
          signal: AbortSignal.timeout(options.timeoutMillis ?? 120_000),
        });
      } catch (error) {
        throw new AppError(
          'E_ASR_FAILED',
          `The transcription server at ${base} cannot be reached: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      const text = await response.text();
      if (!response.ok) {
        let message = text.slice(0, 300);
        try {
          const body = JSON.parse(text) as { message?: string; error?: { message?: string } };
          message = body.error?.message ?? body.message ?? message;
        } catch {}
        throw new AppError(
          'E_ASR_FAILED',
          `The transcription server answered ${response.status}: ${message}`,
        );
      }
      try {
        return { words: wordsFromVerbose(JSON.parse(text) as VerboseTranscription) };
      } catch (error) {
        throw new AppError('E_ASR_FAILED', 'The transcription server sent a body that is not verbose_json.', {
          cause: error,
        });
      }
    },
    async close() {},
  };
}
