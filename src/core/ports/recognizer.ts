/**
 * A speech recogniser: mono PCM of one utterance in, timed words out. Engines (pocketsphinx,
 * an OpenAI-compatible HTTP server, …) implement this; the pipeline only ever sees this port.
 * Callers send only speech the VAD found, never long silence.
 */
import type { TimedWord } from '../transcript.js';

export interface RecognitionInput {
  /** Mono 16-bit signed PCM samples. */
  samples: Int16Array;
  /** Samples per second of `samples` (8000 or 16000). */
  sampleRate: number;
  /** BCP-47 language, e.g. `en-US`. */
  language: string;
}

export interface RecognitionResult {
  /** Words with times relative to the start of `samples`. */
  words: TimedWord[];
}

export interface Recognizer {
  /** A short name for logs and transcripts, e.g. `pocketsphinx`. */
  readonly name: string;
  /** Sample rates this engine takes without resampling. */
  readonly sampleRates: readonly number[];
  /** Recognises one utterance. Throws AppError `E_ASR_FAILED` (or similar) if the engine fails. */
  recognize(input: RecognitionInput): Promise<RecognitionResult>;
  /** Releases engine processes. */
  close(): Promise<void>;
}
