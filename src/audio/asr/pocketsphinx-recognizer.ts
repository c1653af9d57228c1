/**
 * The embedded default recogniser: Debian's pocketsphinx with the `pocketsphinx-en-us` model, in
 * long-lived worker processes (one per concurrent utterance, up to `workers`), so the model loads
 * once and recognition never blocks the event loop. 8 kHz telephone audio is upsampled to the
 * wideband model's 16 kHz and decoded with its own settings (docs/decisions/0006).
 */
import os from 'node:os';
import { AppError } from '../../core/errors.js';
import type { RecognitionInput, RecognitionResult, Recognizer } from '../../core/ports/recognizer.js';
import type { TimedWord } from '../../core/transcript.js';
import { decoderArgsFor, type InputKind, type PocketsphinxModel } from './pocketsphinx-settings.js';
import { PocketsphinxWorker, type RawSegment } from './pocketsphinx-worker.js';
import { upsample2x } from './resample.js';

export interface PocketsphinxRecognizerOptions {
  /** Python interpreter with Debian's `python3-pocketsphinx` (default `/usr/bin/python3`). */
  python?: string;
  /** Decoder processes per input kind, wideband or telephone (default: the number of cores). */
  workers?: number;
  /** Model files; default: the tuned conversational model over Debian's en-us acoustic model. */
  model?: Partial<PocketsphinxModel>;
  /** Extra or overriding decoder arguments (`{ '-beam': 1e-60 }`), applied to every input kind. */
  decoderArgs?: Record<string, string | number | boolean>;
}

const FRAMES_PER_SECOND = 100;

interface Pool {
  idle: PocketsphinxWorker[];
  all: PocketsphinxWorker[];
  waiting: ((worker: PocketsphinxWorker) => void)[];
  create: () => PocketsphinxWorker;
}

/** Creates the pocketsphinx recogniser. Worker processes start lazily on first use. */
export function createPocketsphinxRecognizer(options: PocketsphinxRecognizerOptions = {}): Recognizer {
  const python = options.python ?? '/usr/bin/python3';
  const size = Math.max(1, options.workers ?? os.availableParallelism());
  const pools = new Map<InputKind, Pool>();
  let closed = false;

  const poolFor = (kind: InputKind): Pool => {
    let pool = pools.get(kind);
    if (!pool) {
      const decoderArgs = { ...decoderArgsFor(kind, options.model), ...options.decoderArgs };
      pool = {
        idle: [],
        all: [],
        waiting: [],
        create: () => new PocketsphinxWorker({ python, decoderArgs }),
      };
      pools.set(kind, pool);
    }
    return pool;
  };

  const acquire = (pool: Pool): Promise<PocketsphinxWorker> => {
    const idle = pool.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (pool.all.length < size) {
      const worker = pool.create();
      pool.all.push(worker);
      return Promise.resolve(worker);
    }
    return new Promise((resolve) => pool.waiting.push(resolve));
  };

  const release = (pool: Pool, worker: PocketsphinxWorker): void => {
    const next = pool.waiting.shift();
    if (next) next(worker);
    else pool.idle.push(worker);
  };

  return {
    name: 'pocketsphinx',
    sampleRates: [16000, 8000],
    async recognize(input: RecognitionInput): Promise<RecognitionResult> {
      if (closed) throw new AppError('E_ASR_FAILED', 'The pocketsphinx recogniser is closed.');
      if (input.sampleRate !== 8000 && input.sampleRate !== 16000) {
        throw new AppError(
          'E_ASR_FAILED',
          `pocketsphinx takes 8000 or 16000 Hz audio, not ${input.sampleRate} Hz.`,
        );
      }
      if (input.samples.length === 0) return { words: [] };
      const kind: InputKind = input.sampleRate === 16000 ? 'wideband' : 'telephone';
      const samples = kind === 'telephone' ? upsample2x(input.samples) : input.samples;
      const pool = poolFor(kind);
      const worker = await acquire(pool);
      try {
        return { words: toWords(await worker.decode(samples)) };
      } catch (error) {
        // A failed worker is dropped; the next request starts a fresh one.
        pool.all = pool.all.filter((w) => w !== worker);
        void worker.close();
        const next = pool.waiting.shift();
        if (next) {
          const fresh = pool.create();
          pool.all.push(fresh);
          next(fresh);
        }
        throw error;
      } finally {
        if (pool.all.includes(worker)) release(pool, worker);
      }
    },
    async close(): Promise<void> {
      closed = true;
      const all = [...pools.values()].flatMap((p) => p.all);
      pools.clear();
      await Promise.all(all.map((w) => w.close()));
    },
  };
}

/** Best-path segments → words: drops sentence marks, silence and fillers, strips `(2)` variants. */
export function toWords(segments: RawSegment[]): TimedWord[] {
  const words: TimedWord[] = [];
  for (const [word, startFrame, endFrame, confidence] of segments) {
    if (word.startsWith('<') || word.startsWith('[') || word.startsWith('++')) continue;
    words.push({
      text: word.replace(/\(\d+\)$/, ''),
      startTimeMillis: Math.round((startFrame * 1000) / FRAMES_PER_SECOND),
      endTimeMillis: Math.round(((endFrame + 1) * 1000) / FRAMES_PER_SECOND),
      confidence: Math.max(0, Math.min(1, Number(confidence.toFixed(4)))),
    });
  }
  return words;
}
