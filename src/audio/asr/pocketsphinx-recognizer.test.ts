import { afterAll, describe, expect, it } from 'vitest';
import {
  loadPocketsphinxTestdata,
  normalizeText,
  readPcm16,
  readTestdata,
  speak,
} from '../../../test/support/speech-corpus.js';
import { AppError } from '../../core/errors.js';
import { createPocketsphinxRecognizer } from './pocketsphinx-recognizer.js';

/** Word error rate of `hyp` against `ref` (both normalised), by edit distance. */
function wer(ref: string, hyp: string): number {
  const r = normalizeText(ref).split(' ').filter(Boolean);
  const h = normalizeText(hyp).split(' ').filter(Boolean);
  let row = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const next = [i];
    for (let j = 1; j <= h.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[h.length]! / r.length;
}

/** A synthesised sentence placed after `leadMillis` of silence, with known speech bounds. */
async function placedUtterance(text: string, voice: string, sampleRate: number, leadMillis = 700) {
  const clip = await speak(text, voice);
  const speech = await readPcm16(clip.wavPath, sampleRate);
  const lead = Math.round((leadMillis / 1000) * sampleRate);
  const samples = new Int16Array(lead + speech.length + Math.round(0.5 * sampleRate));
  samples.set(speech, lead);
  return { samples, startMillis: leadMillis, endMillis: leadMillis + (speech.length / sampleRate) * 1000 };
}

const recognizer = createPocketsphinxRecognizer({ workers: 2 });
afterAll(() => recognizer.close());

describe('pocketsphinx recogniser', () => {
  const sentence = 'thank you for calling how can i help you today';

  for (const sampleRate of [16000, 8000]) {
    it(`recognises a generated utterance at ${sampleRate} Hz with timings within 300 ms`, async () => {
      const u = await placedUtterance(sentence, 'rms', sampleRate);
      const { words } = await recognizer.recognize({ samples: u.samples, sampleRate, language: 'en-US' });
      expect(wer(sentence, words.map((w) => w.text).join(' '))).toBeLessThanOrEqual(0.35);
      expect(Math.abs(words[0]!.startTimeMillis - u.startMillis)).toBeLessThanOrEqual(300);
      expect(Math.abs(words.at(-1)!.endTimeMillis - u.endMillis)).toBeLessThanOrEqual(300);
      for (const [i, w] of words.entries()) {
        expect(w.endTimeMillis).toBeGreaterThan(w.startTimeMillis);
        expect(w.startTimeMillis).toBeGreaterThanOrEqual(i === 0 ? 0 : words[i - 1]!.endTimeMillis);
        expect(w.confidence).toBeGreaterThanOrEqual(0);
        expect(w.confidence).toBeLessThanOrEqual(1);
      }
    });
  }

  it('recognises pocketsphinx-testdata recordings (several at once, in parallel workers)', async () => {
    const all = await loadPocketsphinxTestdata();
    const chosen = all.filter((r) => r.id === 'goforward' || r.id.endsWith('0880') || r.id.endsWith('0930'));
    const results = await Promise.all(
      chosen.map(async (r) => {
        const samples = await readTestdata(r);
        const { words } = await recognizer.recognize({
          samples,
          sampleRate: r.sampleRate,
          language: 'en-US',
        });
        return { r, samples, words };
      }),
    );
    for (const { r, samples, words } of results) {
      expect(wer(r.text, words.map((w) => w.text).join(' '))).toBeLessThanOrEqual(0.5);
      expect(words.at(-1)!.endTimeMillis).toBeLessThanOrEqual((samples.length / r.sampleRate) * 1000 + 10);
    }
    const go = results.find((x) => x.r.id === 'goforward')!;
    expect(go.words.map((w) => w.text).join(' ')).toBe('go forward ten meters');
  });

  it('returns no words for empty input and refuses sample rates it does not take', async () => {
    expect(
      await recognizer.recognize({ samples: new Int16Array(0), sampleRate: 16000, language: 'en-US' }),
    ).toEqual({
      words: [],
    });
    await expect(
      recognizer.recognize({ samples: new Int16Array(100), sampleRate: 44100, language: 'en-US' }),
    ).rejects.toMatchObject({ code: 'E_ASR_FAILED' });
  });

  it('fails with E_ASR_FAILED when the engine cannot start', async () => {
    const broken = createPocketsphinxRecognizer({ python: '/nonexistent/python3' });
    const attempt = broken.recognize({ samples: new Int16Array(1600), sampleRate: 16000, language: 'en-US' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'E_ASR_FAILED' });
    await broken.close();
  });
});
