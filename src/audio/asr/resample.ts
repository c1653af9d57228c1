/**
 * 2× upsampling of 16-bit PCM (8 kHz telephone audio → 16 kHz for the wideband acoustic model):
 * zero-stuffing followed by a windowed-sinc low-pass at the old Nyquist frequency.
 */

const HALF_TAPS = 16;
/** Kernel taps at odd offsets (even offsets of a half-band filter are zero except the centre). */
const KERNEL: Float64Array = (() => {
  const k = new Float64Array(HALF_TAPS);
  for (let j = 0; j < HALF_TAPS; j++) {
    // Tap at distance d = 2j+1 output samples from the centre; cutoff at a quarter of the new rate.
    const d = 2 * j + 1;
    const sinc = Math.sin((Math.PI * d) / 2) / ((Math.PI * d) / 2);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * d) / (2 * HALF_TAPS + 1));
    k[j] = sinc * window;
  }
  return k;
})();

/** Doubles the sample rate of `input`. */
export function upsample2x(input: Int16Array): Int16Array {
  const n = input.length;
  const out = new Int16Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = input[i]!;
    // The new sample between input[i] and input[i+1].
    let acc = 0;
    for (let j = 0; j < HALF_TAPS; j++) {
      const left = i - j;
      const right = i + 1 + j;
      const a = left >= 0 ? input[left]! : 0;
      const b = right < n ? input[right]! : 0;
      acc += KERNEL[j]! * (a + b);
    }
    out[2 * i + 1] = Math.max(-32768, Math.min(32767, Math.round(acc)));
  }
  return out;
}
