/**
 * Turns Silero's per-window speech probabilities into utterances: hysteresis (start above
 * `threshold`, end below `negThreshold`), a minimum pause that ends an utterance, a minimum
 * length, padding so word edges are not clipped, and a maximum length (split at the quietest point)
 * so an engine never gets a minute of audio at once. Same rules as Silero's `get_speech_timestamps`.
 */

export interface SegmentOptions {
  /** Probability that starts speech. Default 0.5. */
  threshold: number;
  /** Probability below which speech may end. Default 0.35. */
  negThreshold: number;
  /** Shorter bursts are dropped. Default 250 ms. */
  minSpeechMillis: number;
  /** A pause at least this long ends an utterance. Default 400 ms. */
  minSilenceMillis: number;
  /** Added on both sides (clamped so neighbours never overlap). Default 200 ms. */
  padMillis: number;
  /** Longer speech is split at its least speech-like window. Default 15 s. */
  maxUtteranceMillis: number;
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = Object.freeze({
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechMillis: 250,
  minSilenceMillis: 400,
  padMillis: 200,
  maxUtteranceMillis: 15_000,
});

export interface SpeechSegment {
  startMillis: number;
  endMillis: number;
}

/** The window in `[from, to)` with the lowest probability: where a too-long utterance is cut. */
function quietestWindow(probability: ArrayLike<number>, from: number, to: number): number {
  let best = to - 1;
  for (let i = to - 1; i >= from; i--) if (probability[i]! < probability[best]!) best = i;
  return best;
}

/** Speech segments, in windows, before padding. */
function rawSegments(p: ArrayLike<number>, windowMillis: number, o: SegmentOptions): [number, number][] {
  const out: [number, number][] = [];
  const minSilence = Math.ceil(o.minSilenceMillis / windowMillis);
  const maxLength = Math.floor(o.maxUtteranceMillis / windowMillis);
  let start = -1;
  let silenceFrom = -1;
  for (let i = 0; i < p.length; i++) {
    const value = p[i]!;
    if (start < 0) {
      if (value >= o.threshold) {
        start = i;
        silenceFrom = -1;
      }
      continue;
    }
    if (value >= o.threshold) silenceFrom = -1;
    else if (value < o.negThreshold && silenceFrom < 0) silenceFrom = i;
    if (silenceFrom >= 0 && i - silenceFrom + 1 >= minSilence) {
      out.push([start, silenceFrom]);
      start = -1;
    } else if (i - start >= maxLength) {
      const cut = quietestWindow(p, start + Math.floor(maxLength / 2), i);
      out.push([start, cut]);
      start = cut + 1 <= i ? cut + 1 : -1;
      silenceFrom = -1;
    }
  }
  if (start >= 0) out.push([start, silenceFrom >= 0 ? silenceFrom : p.length]);
  // Count speech windows, not the span: isolated windows bridged by short dips are not speech.
  const minSpeech = Math.ceil(o.minSpeechMillis / windowMillis);
  return out.filter(([s, e]) => {
    let speech = 0;
    for (let i = s; i < e; i++) if (p[i]! >= o.threshold) speech++;
    return speech >= minSpeech;
  });
}

/**
 * Utterances found in a probability series whose windows are `windowMillis` long, as times.
 * `totalMillis` bounds the padding at the end.
 */
export function segmentSpeech(
  probability: ArrayLike<number>,
  windowMillis: number,
  totalMillis: number,
  options: Partial<SegmentOptions> = {},
): SpeechSegment[] {
  const o = { ...DEFAULT_SEGMENT_OPTIONS, ...options };
  const raw = rawSegments(probability, windowMillis, o).map(([s, e]) => ({
    startMillis: s * windowMillis,
    endMillis: Math.min(e * windowMillis, totalMillis),
  }));
  return raw.map((segment, i) => {
    const previous = raw[i - 1];
    const next = raw[i + 1];
    const lower = previous ? (previous.endMillis + segment.startMillis) / 2 : 0;
    const upper = next ? (segment.endMillis + next.startMillis) / 2 : totalMillis;
    return {
      startMillis: Math.round(Math.max(lower, segment.startMillis - o.padMillis)),
      endMillis: Math.round(Math.min(upper, segment.endMillis + o.padMillis)),
    };
  });
}
