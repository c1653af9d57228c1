/**
 * The public face of the audio engine: `transcribeFile` for two-channel call recordings,
 * `transcribeMono` for single-speaker audio (the OpenAI-compatible API), the recogniser factory,
 * the transcript renderers, and the refusal test the job pipeline uses.
 */
import type { Config } from '../config.js';
import type { Recognizer } from '../core/ports/recognizer.js';
import { createOpenAiCompatibleRecognizer } from './asr/openai-compatible-recognizer.js';
import { createPocketsphinxRecognizer } from './asr/pocketsphinx-recognizer.js';

export {
  createOpenAiCompatibleRecognizer,
  type OpenAiCompatibleRecognizerOptions,
} from './asr/openai-compatible-recognizer.js';
export {
  createPocketsphinxRecognizer,
  type PocketsphinxRecognizerOptions,
} from './asr/pocketsphinx-recognizer.js';
export { cutSegments } from './decode/cut-segments.js';
export { pcmStream } from './decode/ffmpeg-pcm-stream.js';
export { type AudioInfo, probeAudio } from './decode/ffprobe.js';
export { renderTranscript, TRANSCRIPT_FORMATS, type TranscriptFormat } from './formats/render-transcript.js';
export { type AudioContainer, sniffContainer, sniffFile } from './formats/sniff.js';
export {
  registerTranscriptionApi,
  registerTranscriptionApiRoutes,
  type TranscriptionApiDeps,
} from './http/transcription-api-routes.js';
export { defaultSpeaker } from './merge/merge-transcript.js';
export { type MonoTranscription, transcribeMono } from './mono-pipeline.js';
export { isPermanentAudioError, PERMANENT_AUDIO_ERRORS } from './permanent-errors.js';
export {
  ANALYSIS_RATE,
  analyseCall,
  type CallAnalysis,
  recogniseSegments,
  type TranscribeOptions,
  type TranscriptionProgress,
  transcribeFile,
} from './pipeline.js';

/**
 * The recogniser config selects (`config.asr`): `CALLSCRIBE_ASR_ENGINE=pocketsphinx` (default,
 * embedded) or `openai` (an OpenAI-compatible `/v1/audio/transcriptions` server at `CALLSCRIBE_ASR_URL`).
 */
export function createDefaultRecognizer(config: Pick<Config, 'asr'>): Recognizer {
  const { asr } = config;
  if (asr.engine === 'openai') {
    return createOpenAiCompatibleRecognizer({ baseUrl: asr.url!, model: asr.model, apiKey: asr.apiKey });
  }
  return createPocketsphinxRecognizer();
}
