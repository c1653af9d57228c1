/**
 * Crosstalk (echo) suppression. A faint copy of the other party often leaks into a caller's
 * channel; Silero is level-independent and would call it speech, and the engine would then give
 * the other party's words to this speaker. A window is leak when this channel is far quieter than
 * another channel at that moment AND its level envelope follows that channel's (a copy, not a quiet
 * reply). Leak windows get speech probability 0 before utterances are cut.
 */
import { correlationAtLag } from './channel-checks.js';

export interface CrosstalkOptions {
  /** How much quieter (dB) than another channel a window must be to count as its leak. Default 12. */
  quieterByDb: number;
  /** Envelope correlation above which the quiet channel follows the loud one. Default 0.6. */
  minCorrelation: number;
  /** Half-width of the correlation window, in milliseconds. Default 320 ms. */
  contextMillis: number;
  /** Echo delays searched, either way, in milliseconds. Default 100 ms. */
  maxDelayMillis: number;
  /** Levels are compared as their maximum within this distance, in milliseconds. Default 160 ms. */
  reachMillis: number;
}

export const DEFAULT_CROSSTALK_OPTIONS: CrosstalkOptions = Object.freeze({
  quieterByDb: 12,
  minCorrelation: 0.6,
  contextMillis: 320,
  maxDelayMillis: 100,
  reachMillis: 160,
});

/** The maximum of `values` within ±`reach` of each index. */
function movingMax(values: Float32Array, reach: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let max = 0;
    const to = Math.min(values.length - 1, i + reach);
    for (let j = Math.max(0, i - reach); j <= to; j++) if (values[j]! > max) max = values[j]!;
    out[i] = max;
  }
  return out;
}

/**
 * For each channel, a 0/1 mask over its windows: 1 where the window is another channel's leak.
 * `rms[c][i]` is channel c's level in window i.
 */
export function leakMasks(
  rms: readonly Float32Array[],
  windowMillis: number,
  options: Partial<CrosstalkOptions> = {},
): Uint8Array[] {
  const o = { ...DEFAULT_CROSSTALK_OPTIONS, ...options };
  const ratio = 10 ** (-o.quieterByDb / 20);
  const context = Math.max(2, Math.round(o.contextMillis / windowMillis));
  const maxLag = Math.round(o.maxDelayMillis / windowMillis);
  // Levels are compared as the loudest value within ±`reach` windows, so the pauses between the
  // other party's syllables (and Silero's hangover just after them) are judged with their words.
  const reach = Math.max(1, Math.round(o.reachMillis / windowMillis));
  const peaks = rms.map((envelope) => movingMax(envelope, reach));
  return rms.map((self, c) => {
    const mask = new Uint8Array(self.length);
    for (let i = 0; i < self.length; i++) {
      for (let other = 0; other < rms.length; other++) {
        if (other === c) continue;
        const loud = rms[other]!;
        if (!(peaks[c]![i]! < (peaks[other]![i] ?? 0) * ratio)) continue;
        // The context before and the context after are judged apart: where this speaker starts
        // talking over the other, the half on the leak's side still shows the copy.
        let r = -1;
        for (const [from, to] of [
          [Math.max(0, i - context), i + 1],
          [i, Math.min(self.length, i + context + 1)],
        ] as const) {
          for (let lag = -maxLag; lag <= maxLag && r < o.minCorrelation; lag++) {
            r = Math.max(r, correlationAtLag(self, loud, lag, from, to));
          }
        }
        if (r >= o.minCorrelation) {
          mask[i] = 1;
          break;
        }
      }
    }
    return mask;
  });
}

/** The probabilities with every leak window set to 0. */
export function suppressLeaks(probability: Float32Array, mask: Uint8Array): Float32Array {
  const out = Float32Array.from(probability);
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = 0;
  return out;
}

/** A recognised word this much quieter (dB) on its channel than on another is that channel's leak. */
export const LEAK_WORD_QUIETER_BY_DB = 15;

/**
 * Drops words that are another channel's leak: over the word's span, this channel's mean power is
 * more than {@link LEAK_WORD_QUIETER_BY_DB} below another channel's. A second line of defence after
 * {@link leakMasks}, for the edges of overlapping turns where the window mask cannot decide.
 */
export function isLeakWord(
  rms: readonly Float32Array[],
  channel: number,
  windowMillis: number,
  startMillis: number,
  endMillis: number,
): boolean {
  const from = Math.max(0, Math.floor(startMillis / windowMillis));
  const to = Math.max(from + 1, Math.ceil(endMillis / windowMillis));
  const power = (envelope: Float32Array) => {
    let sum = 0;
    let n = 0;
    for (let i = from; i < Math.min(to, envelope.length); i++) {
      sum += envelope[i]! * envelope[i]!;
      n++;
    }
    return n ? sum / n : 0;
  };
  const own = power(rms[channel]!);
  const limit = 10 ** (-LEAK_WORD_QUIETER_BY_DB / 10);
  return rms.some((envelope, other) => other !== channel && own < power(envelope) * limit);
}
