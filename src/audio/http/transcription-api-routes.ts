/**
 * callscribe serving the OpenAI-compatible speech-to-text API from its own engine:
 * `POST /v1/audio/transcriptions` (multipart: `file`, `model`, `language`, `response_format` =
 * json | text | srt | vtt | verbose_json, `timestamp_granularities[]`). It is a single-speaker API,
 * so mono is accepted and several channels are downmixed. Errors use OpenAI's body
 * (`{"error":{"message","type","code"}}`) because that is what this API's clients parse.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Recognizer } from '../../core/ports/recognizer.js';
import { toAppError } from '../../http/error-handler.js';
import { toSrt, toWebVtt } from '../formats/render-transcript.js';
import { mergeTranscript, resolveSpeakers } from '../merge/merge-transcript.js';
import { type MonoTranscription, transcribeMono } from '../mono-pipeline.js';

export interface TranscriptionApiDeps {
  /** The engine behind the API; created on first use, closed with the app. */
  createRecognizer: () => Recognizer;
  /** Largest upload accepted, in bytes (413 beyond). */
  maxFileBytes: number;
  /** Runs before each request (e.g. a Bearer-token check); throws to refuse. */
  authorize?: (request: FastifyRequest) => Promise<void>;
}

const FORMATS = new Set(['json', 'text', 'srt', 'vtt', 'verbose_json']);

interface Fields {
  model: string;
  language: string;
  responseFormat: string;
  granularities: string[];
}

/** Stores the upload in a temporary file (ffmpeg reads files) and collects the form fields. */
async function receive(
  request: FastifyRequest,
  file: string,
  maxFileBytes: number,
): Promise<Fields & { received: boolean }> {
  const fields: Fields = { model: 'whisper-1', language: 'en', responseFormat: 'json', granularities: [] };
  let received = false;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || received) {
        part.file.resume();
        continue;
      }
      await pipeline(part.file, createWriteStream(file));
      if (part.file.truncated) {
        throw new AppError(
          'E_PAYLOAD_TOO_LARGE',
          `The file is larger than ${Math.round(maxFileBytes / 1048576)} MiB.`,
        );
      }
      received = true;
    } else {
      const value = String(part.value);
      if (part.fieldname === 'model') fields.model = value;
      else if (part.fieldname === 'language') fields.language = value;
      else if (part.fieldname === 'response_format') fields.responseFormat = value;
      else if (part.fieldname === 'timestamp_granularities[]' || part.fieldname === 'timestamp_granularities')
        fields.granularities.push(value);
    }
  }
  return { ...fields, received };
}

/** BCP-47 for the engine from the API's ISO-639-1 (`en` → `en-US`). */
function engineLanguage(language: string): string {
  return language.toLowerCase() === 'en' ? 'en-US' : language;
}

function seconds(millis: number): number {
  return Number((millis / 1000).toFixed(3));
}

/** OpenAI's `verbose_json` body. */
export function toVerboseJson(result: MonoTranscription, language: string, granularities: string[]) {
  const segments = result.segments.map((s, id) => {
    const confidence = s.words.reduce((a, w) => a + w.confidence, 0) / Math.max(1, s.words.length);
    return {
      id,
      seek: 0,
      start: seconds(s.words[0]?.startTimeMillis ?? s.startMillis),
      end: seconds(s.words.at(-1)?.endTimeMillis ?? s.endMillis),
      text: s.words.map((w) => w.text).join(' '),
      tokens: [] as number[],
      temperature: 0,
      avg_logprob: Number(Math.log(Math.max(confidence, 1e-6)).toFixed(4)),
      compression_ratio: 1,
      no_speech_prob: 0,
      words: s.words.map((w) => ({
        word: w.text,
        start: seconds(w.startTimeMillis),
        end: seconds(w.endTimeMillis),
        probability: w.confidence,
      })),
    };
  });
  const body: Record<string, unknown> = {
    task: 'transcribe',
    language: language.toLowerCase().startsWith('en') ? 'english' : language,
    duration: seconds(result.durationMillis),
    text: segments.map((s) => s.text).join(' '),
    segments,
  };
  if (granularities.length === 0 || granularities.includes('word')) {
    body['words'] = segments.flatMap((s) => s.words.map(({ word, start, end }) => ({ word, start, end })));
  }
  return body;
}

function openAiError(reply: FastifyReply, error: unknown): FastifyReply {
  const e = toAppError(error);
  const type = e.status >= 500 ? 'server_error' : 'invalid_request_error';
  return reply.code(e.status).send({ error: { message: e.message, type, param: null, code: e.code } });
}

/** A counting semaphore: at most `size` tasks run at once, the rest wait in order. */
function createSlots(size: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      while (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await task();
      } finally {
        running--;
        waiting.shift()?.();
      }
    },
  };
}

export async function registerTranscriptionApiRoutes(
  app: FastifyInstance,
  deps: TranscriptionApiDeps,
): Promise<void> {
  let recognizer: Recognizer | undefined;
  // Each transcription runs a VAD process and keeps engine workers busy: beyond the core count,
  // uploads wait their turn instead of overloading the machine.
  const slots = createSlots(availableParallelism());
  app.addHook('onClose', async () => {
    await recognizer?.close();
  });
  await app.register(async (scope) => {
    await scope.register(import('@fastify/multipart'), {
      limits: { fileSize: deps.maxFileBytes, files: 1, fields: 20, fieldSize: 4096, parts: 30 },
    });
    scope.setErrorHandler((error, _request, reply) => openAiError(reply, error));
    scope.post('/v1/audio/transcriptions', async (request, reply) => {
      await deps.authorize?.(request);
      if (!request.isMultipart()) {
        throw new AppError(
          'E_UNSUPPORTED_MEDIA',
          'Send the audio as multipart/form-data with a "file" field.',
        );
      }
      const file = path.join(tmpdir(), `callscribe-upload-${randomUUID()}`);
      try {
        const fields = await receive(request, file, deps.maxFileBytes);
        if (!fields.received)
          throw new AppError('E_VALIDATION', 'The "file" field is missing: attach the audio to transcribe.');
        if (!FORMATS.has(fields.responseFormat)) {
          throw new AppError(
            'E_VALIDATION',
            `response_format must be one of ${[...FORMATS].join(', ')}, not "${fields.responseFormat}".`,
          );
        }
        recognizer ??= deps.createRecognizer();
        const engine = recognizer;
        const result = await slots.run(() =>
          transcribeMono(file, { recognizer: engine, language: engineLanguage(fields.language) }),
        );
        const verbose = toVerboseJson(result, fields.language, fields.granularities);
        if (fields.responseFormat === 'verbose_json') return verbose;
        if (fields.responseFormat === 'json') return { text: verbose['text'] };
        if (fields.responseFormat === 'text')
          return reply.type('text/plain; charset=utf-8').send(`${verbose['text']}\n`);
        const transcript = mergeTranscript(result.durationMillis, resolveSpeakers(1), result.segments);
        if (fields.responseFormat === 'vtt') {
          return reply.type('text/vtt; charset=utf-8').send(toWebVtt(transcript, { speakers: false }));
        }
        return reply.type('application/x-subrip; charset=utf-8').send(toSrt(transcript, { speakers: false }));
      } finally {
        await rm(file, { force: true });
      }
    });
  });
}

/** Mounts the API with the embedded pocketsphinx engine (what `createCallscribe` does). */
export async function registerTranscriptionApi(
  app: FastifyInstance,
  options: Omit<TranscriptionApiDeps, 'createRecognizer'> & { createRecognizer?: () => Recognizer },
): Promise<void> {
  const { createPocketsphinxRecognizer } = await import('../asr/pocketsphinx-recognizer.js');
  await registerTranscriptionApiRoutes(app, {
    createRecognizer: () => createPocketsphinxRecognizer(),
    ...options,
  });
}
