/**
 * What makes a multi-channel recording transcribable as one speaker per channel: no silent
 * channel, and no two channels carrying the same signal (equal, scaled, or delayed). Both are
 * judged on the 32 ms level envelopes of the analysis pass, never on samples.
 */
import { AppError } from '../../core/errors.js';

/** Envelopes this close (Pearson r at the best lag) are one signal. */
export const SAME_SIGNAL_CORRELATION = 0.85;
/** Largest delay between copies searched for. */
export const MAX_COPY_DELAY_MILLIS = 2000;
/** A channel whose loudest moments stay below this level (dBFS) is silent. */
export const SILENCE_DBFS = -50;

export function dbfs(rms: number): number {
  return 20 * Math.log10(Math.max(rms, 1e-9));
}

/** The level (dBFS) the loudest 1% of windows reach. */
export function loudLevel(rms: Float32Array): number {
  if (rms.length === 0) return -180;
  const sorted = Float32Array.from(rms).sort();
  return dbfs(sorted[Math.floor(sorted.length * 0.99)] ?? 0);
}

/** Pearson correlation of `a[i]` with `b[i + lag]` over the overlap. */
export function correlationAtLag(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  lag: number,
  from = 0,
  to = a.length,
): number {
  const start = Math.max(from, -lag);
  const end = Math.min(to, b.length - lag);
  const n = end - start;
  if (n < 3) return 0;
  let sa = 0;
  let sb = 0;
  for (let i = start; i < end; i++) {
    sa += a[i]!;
    sb += b[i + lag]!;
  }
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = start; i < end; i++) {
    const da = a[i]! - ma;
    const db = b[i + lag]! - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/** The best correlation of two envelopes over lags up to `maxLag` windows either way. */
export function maxCorrelation(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  maxLag: number,
): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const r = correlationAtLag(a, b, lag);
    if (r > best.r) best = { r, lag };
  }
  return best;
}

/** @throws AppError `E_AUDIO_SILENT_CHANNEL` naming the first silent channel (1-based). */
export function checkNoSilentChannel(rms: readonly Float32Array[]): void {
  rms.forEach((envelope, i) => {
    const level = loudLevel(envelope);
    if (level < SILENCE_DBFS) {
      throw new AppError(
        'E_AUDIO_SILENT_CHANNEL',
        `Channel ${i + 1} is silent (it never gets louder than ${Math.round(level)} dBFS): each speaker must be on their own channel.`,
        { extra: { channel: i + 1 } },
      );
    }
  });
}

/** @throws AppError `E_AUDIO_SAME_SIGNAL` when two channels carry one signal (scaled or delayed). */
export function checkDistinctChannels(rms: readonly Float32Array[], windowMillis: number): void {
  const maxLag = Math.round(MAX_COPY_DELAY_MILLIS / windowMillis);
  for (let i = 0; i < rms.length; i++) {
    for (let j = i + 1; j < rms.length; j++) {
      const { r, lag } = maxCorrelation(rms[i]!, rms[j]!, maxLag);
      if (r >= SAME_SIGNAL_CORRELATION) {
        const delay = Math.abs(lag * windowMillis);
        throw new AppError(
          'E_AUDIO_SAME_SIGNAL',
          `Channels ${i + 1} and ${j + 1} carry the same signal${delay > 0 ? ` (one is a copy delayed by about ${delay} ms)` : ''}: both speakers are on one channel, but each must be on their own.`,
          { extra: { channels: [i + 1, j + 1], correlation: Number(r.toFixed(3)) } },
        );
      }
    }
  }
}
