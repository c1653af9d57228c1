import { describe, expect, it } from 'vitest';
import {
  EVALUATION_DIALOGUES,
  EVALUATION_VOICES,
  evaluationCorpus,
  generateCall,
  loadPocketsphinxTestdata,
  readPcm16,
  readTestdata,
  TUNING_DIALOGUES,
  TUNING_VOICES,
  tuningCorpus,
} from './speech-corpus.js';

/** RMS level in dBFS of [from, to) ms of `samples`. */
function levelDb(samples: Int16Array, rate: number, from: number, to: number): number {
  const a = Math.floor((from / 1000) * rate);
  const b = Math.min(samples.length, Math.floor((to / 1000) * rate));
  let sum = 0;
  for (let i = a; i < b; i++) sum += (samples[i]! / 32768) ** 2;
  return 10 * Math.log10(sum / Math.max(1, b - a) + 1e-12);
}

describe('speech corpus', () => {
  it('keeps the tuning and evaluation sets apart (sentences and voices)', () => {
    const tuning = new Set(TUNING_DIALOGUES.flatMap((d) => d.turns.map((t) => t[1])));
    for (const d of EVALUATION_DIALOGUES) for (const t of d.turns) expect(tuning.has(t[1])).toBe(false);
    for (const v of EVALUATION_VOICES) expect(TUNING_VOICES as readonly string[]).not.toContain(v);
    expect(
      tuningCorpus().every((e) => e.voices.every((v) => (TUNING_VOICES as readonly string[]).includes(v))),
    ).toBe(true);
  });

  it('places speech where the ground truth says, with only a faint leak on the other channel', async () => {
    const entry = evaluationCorpus()[0]!;
    const call = await generateCall(entry.dialogue, {
      voices: entry.voices,
      sampleRate: 8000,
      encoding: 'mulaw',
    });
    expect(call.channels.map((c) => c.voice)).toEqual([...entry.voices]);
    for (const truth of call.channels) {
      const own = await readPcm16(call.path, 8000, truth.channel);
      const other = call.channels.find((c) => c.channel !== truth.channel)!;
      for (const u of truth.utterances) {
        expect(levelDb(own, 8000, u.startMillis, u.endMillis)).toBeGreaterThan(-35);
      }
      // Where only the other side speaks, this channel carries the -30 dB leak, not speech.
      const solo = other.utterances.filter((o) =>
        truth.utterances.every((u) => u.endMillis < o.startMillis || u.startMillis > o.endMillis),
      );
      expect(solo.length).toBeGreaterThan(0);
      for (const o of solo) expect(levelDb(own, 8000, o.startMillis, o.endMillis)).toBeLessThan(-40);
    }
  });

  it('loads the pocketsphinx-testdata recordings with their transcripts', async () => {
    const recordings = await loadPocketsphinxTestdata();
    expect(recordings.length).toBeGreaterThanOrEqual(11);
    const go = recordings.find((r) => r.id === 'goforward')!;
    expect((await readTestdata(go)).length).toBeGreaterThan(16000);
  });
});
