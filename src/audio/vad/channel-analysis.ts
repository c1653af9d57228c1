/**
 * The per-channel analysis pass, computed window by window (32 ms) while ffmpeg streams one
 * channel: the level (RMS) and Silero's speech probability. Only these two small series are kept
 * (about 14 KiB per channel-minute), never the samples.
 */
import { pcmStream } from '../decode/ffmpeg-pcm-stream.js';
import { SileroVad, type VadRate, vadWindow } from './silero-vad.js';

export interface ChannelAnalysis {
  /** 0-based channel, or -1 for a mono downmix. */
  channel: number;
  sampleRate: VadRate;
  /** Samples per window (32 ms). */
  window: number;
  /** Samples decoded. */
  samples: number;
  /** RMS of each window, 0..1 of full scale. */
  rms: Float32Array;
  /** Silero's speech probability of each window. */
  probability: Float32Array;
  /** Peak resident memory of the process that ran the analysis (benches check it stays flat). */
  maxRssBytes: number;
}

export interface AnalyseChannelOptions {
  path: string;
  channel?: number;
  sampleRate: VadRate;
  signal?: AbortSignal;
  /** Called now and then with the samples decoded so far. */
  onProgress?: (samples: number) => void;
}

class GrowableFloat32 {
  private data = new Float32Array(4096);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Decodes one channel and runs the VAD over it. Runs wherever it is called: see analysis-child.ts. */
export async function analyseChannel(options: AnalyseChannelOptions): Promise<ChannelAnalysis> {
  const window = vadWindow(options.sampleRate);
  const vad = await SileroVad.load(options.sampleRate);
  const rms = new GrowableFloat32();
  const probability = new GrowableFloat32();
  const frame = new Float32Array(window);
  let filled = 0;
  let samples = 0;
  let sinceProgress = 0;
  try {
    for await (const chunk of pcmStream(options.path, {
      sampleRate: options.sampleRate,
      channel: options.channel,
      signal: options.signal,
    })) {
      for (let i = 0; i < chunk.length; i++) {
        frame[filled++] = chunk[i]! / 32768;
        if (filled === window) {
          let energy = 0;
          for (let j = 0; j < window; j++) energy += frame[j]! * frame[j]!;
          rms.push(Math.sqrt(energy / window));
          probability.push(await vad.probability(frame));
          filled = 0;
        }
      }
      samples += chunk.length;
      sinceProgress += chunk.length;
      if (sinceProgress >= options.sampleRate * 30) {
        options.onProgress?.(samples);
        sinceProgress = 0;
      }
    }
  } finally {
    await vad.close();
  }
  return {
    channel: options.channel ?? -1,
    sampleRate: options.sampleRate,
    window,
    samples,
    rms: rms.toArray(),
    probability: probability.toArray(),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
