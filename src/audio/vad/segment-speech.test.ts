import { describe, expect, it } from 'vitest';
import { segmentSpeech } from './segment-speech.js';

/** A probability series of 32 ms windows: `spec` is [probability, windows][]. */
function series(...spec: [number, number][]): Float32Array {
  return Float32Array.from(spec.flatMap(([p, n]) => new Array<number>(n).fill(p)));
}
const W = 32;

describe('segmentSpeech', () => {
  it('cuts speech with padding, and keeps pauses shorter than the minimum inside one utterance', () => {
    // 1 s silence, 1 s speech, 0.256 s pause (shorter than 400 ms), 1 s speech, 2 s silence
    const p = series([0, 31], [0.9, 31], [0.1, 8], [0.9, 31], [0, 63]);
    const total = p.length * W;
    expect(segmentSpeech(p, W, total)).toEqual([{ startMillis: 792, endMillis: 3432 }]);
  });

  it('splits at a pause longer than the minimum, padding clamped halfway between utterances', () => {
    const p = series([0, 10], [0.9, 20], [0.1, 14], [0.9, 20], [0, 10]);
    expect(segmentSpeech(p, W, p.length * W)).toEqual([
      { startMillis: 120, endMillis: 1160 },
      { startMillis: 1208, endMillis: (10 + 20 + 14 + 20) * W + 200 },
    ]);
    // With a long padding the two meet halfway between the utterances, never overlapping.
    const [a, b] = segmentSpeech(p, W, p.length * W, { padMillis: 400 });
    expect(a!.endMillis).toBe((30 * W + 44 * W) / 2);
    expect(b!.startMillis).toBe(a!.endMillis);
  });

  it('drops bursts shorter than the minimum speech, even bridged by short dips', () => {
    const p = series([0, 20], [0.9, 3], [0.2, 5], [0.9, 3], [0, 40]);
    expect(segmentSpeech(p, W, p.length * W)).toEqual([]);
  });

  it('holds speech through dips between the two thresholds (hysteresis)', () => {
    const p = series([0.9, 20], [0.4, 30], [0.9, 20], [0, 30]);
    expect(segmentSpeech(p, W, p.length * W)).toHaveLength(1);
  });

  it('splits an utterance longer than the maximum at its least speech-like window', () => {
    const p = series([0.9, 300], [0.55, 1], [0.9, 300], [0, 20]);
    const segments = segmentSpeech(p, W, p.length * W, { maxUtteranceMillis: 15_000, padMillis: 0 });
    expect(segments).toHaveLength(2);
    expect(segments[0]!.endMillis).toBe(300 * W);
    for (const s of segments) expect(s.endMillis - s.startMillis).toBeLessThanOrEqual(15_000);
  });

  it('ends an utterance still open at the end of the audio at the end', () => {
    const p = series([0, 10], [0.9, 20]);
    expect(segmentSpeech(p, W, 955)).toEqual([{ startMillis: 120, endMillis: 955 }]);
  });
});
