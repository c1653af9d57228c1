import { describe, expect, it } from 'vitest';
import type { Utterance } from '../../core/transcript.js';
import { defaultSpeaker } from '../merge/merge-transcript.js';
import { computeAnalytics, unionMillis } from './call-analytics.js';

function utterance(channel: number, start: number, end: number, words: number): Utterance {
  return {
    channel,
    speaker: defaultSpeaker(channel),
    text: 'x '.repeat(words).trim(),
    startTimeMillis: start,
    endTimeMillis: end,
    confidence: 1,
    words: Array.from({ length: words }, (_, i) => ({
      text: 'x',
      startTimeMillis: start + i,
      endTimeMillis: start + i + 1,
      confidence: 1,
    })),
  };
}

describe('call analytics', () => {
  it('unions overlapping intervals', () => {
    expect(
      unionMillis([
        [0, 10],
        [5, 20],
        [30, 40],
      ]),
    ).toBe(30);
    expect(unionMillis([])).toBe(0);
  });

  it('computes talk time, ratio, monologues, interruptions, silence and words per minute', () => {
    const speakers = [defaultSpeaker(1), defaultSpeaker(2)];
    const utterances = [
      utterance(1, 0, 10_000, 25), // caller 10 s
      utterance(1, 11_000, 20_000, 20), // caller continues: monologue 0–20 s
      utterance(2, 19_000, 30_000, 30), // recipient starts 1 s before the caller ends: interruption
      utterance(1, 29_900, 31_000, 2), // caller starts 100 ms before the end: a back-channel, not counted
      utterance(2, 40_000, 50_000, 10),
    ];
    const a = computeAnalytics(60_000, speakers, utterances);
    const [caller, recipient] = a.speakers;
    expect(caller).toMatchObject({
      talkTimeMillis: 20_100,
      longestMonologueMillis: 20_000,
      interruptions: 0,
      wordCount: 47,
    });
    expect(recipient).toMatchObject({
      talkTimeMillis: 21_000,
      longestMonologueMillis: 11_000,
      interruptions: 1,
    });
    expect(caller!.talkRatio + recipient!.talkRatio).toBeCloseTo(1, 3);
    expect(caller!.wordsPerMinute).toBe(Math.round((47 / 20_100) * 60_000));
    // Speech covers 0–10, 11–31, 40–50 s: 40 s of 60.
    expect(a.silenceMillis).toBe(20_000);
  });

  it('reports zeros for a speaker who never speaks', () => {
    const a = computeAnalytics(5000, [defaultSpeaker(1), defaultSpeaker(2)], [utterance(1, 0, 1000, 2)]);
    expect(a.speakers[1]).toMatchObject({
      talkTimeMillis: 0,
      talkRatio: 0,
      wordsPerMinute: 0,
      interruptions: 0,
    });
  });
});
