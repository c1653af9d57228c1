import { describe, expect, it } from 'vitest';
import { computeAnalytics } from './analytics.ts';
import type { TranscriptUtterance } from './api.ts';
import { toSrt, toText, toVtt } from './captions.ts';
import {
  buildTranscriptIndex,
  lastAtOrBefore,
  searchTranscript,
  utteranceAt,
  wordAt,
} from './transcript-index.ts';

const utterances: TranscriptUtterance[] = [
  {
    speaker: { id: '7', name: 'Ana' },
    text: 'Hello, thanks for calling.',
    startTimeMillis: 1000,
    endTimeMillis: 3000,
  },
  {
    speaker: { id: 'c1', name: 'Bo' },
    text: 'Hi Ana, about the invoice.',
    startTimeMillis: 2800,
    endTimeMillis: 5000,
  },
  {
    speaker: { id: '7', name: 'Ana' },
    text: 'The invoice, sure.',
    startTimeMillis: 6000,
    endTimeMillis: 8000,
    words: [
      { text: 'The', startTimeMillis: 6000, endTimeMillis: 6200 },
      { text: 'invoice,', startTimeMillis: 6300, endTimeMillis: 7000 },
      { text: 'sure.', startTimeMillis: 7200, endTimeMillis: 8000 },
    ],
  },
];

describe('transcript index', () => {
  const index = buildTranscriptIndex(utterances, { ownerId: '7', direction: 'INBOUND' });

  it('puts the caller on lane 0: for an inbound call that is the contact, not the owner', () => {
    expect(index.lanes.map((l) => [l.name, l.role])).toEqual([
      ['Bo', 'Caller'],
      ['Ana', 'Recipient'],
    ]);
    expect(buildTranscriptIndex(utterances, { ownerId: '7', direction: 'OUTBOUND' }).lanes[0]!.name).toBe(
      'Ana',
    );
  });

  it('spreads word times over an utterance without word timings, in order and inside it', () => {
    const u = index.utterances[0]!;
    expect(u.wordCount).toBe(4);
    const starts = [...index.wordStart.slice(u.firstWord, u.firstWord + u.wordCount)];
    expect(starts[0]).toBe(1000);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(index.wordEnd[u.firstWord + u.wordCount - 1]).toBeCloseTo(3000);
  });

  it('keeps given word timings', () => {
    const u = index.utterances[2]!;
    expect(index.wordStart[u.firstWord + 1]).toBe(6300);
  });

  it('finds the word and utterance at a time by binary search', () => {
    expect(wordAt(index, 500)).toBe(-1);
    expect(index.words[wordAt(index, 1001)]).toBe('Hello,');
    expect(index.words[wordAt(index, 6400)]).toBe('invoice,');
    expect(wordAt(index, 5700)).toBe(-1); // silence between utterances
    expect(utteranceAt(index, 5700)).toBe(1);
    expect(lastAtOrBefore([1, 3, 5], 4)).toBe(1);
    expect(lastAtOrBefore([1, 3, 5], 0)).toBe(-1);
    expect(lastAtOrBefore([], 1)).toBe(-1);
  });

  it('searches case-insensitively and resolves hits to words', () => {
    const hits = searchTranscript(index, 'INVOICE');
    expect(hits.map((h) => h.utterance)).toEqual([1, 2]);
    expect(index.words[hits[1]!.firstWord]).toBe('invoice,');
    expect(hits[1]!.timeMillis).toBe(6300);
    const phrase = searchTranscript(index, 'thanks for');
    expect(phrase).toHaveLength(1);
    expect(phrase[0]!.lastWord - phrase[0]!.firstWord).toBe(1);
    expect(searchTranscript(index, '   ')).toEqual([]);
  });

  it('writes VTT, SRT and text', () => {
    const vtt = toVtt(index);
    expect(
      vtt.startsWith('WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Ana>Hello, thanks for calling.'),
    ).toBe(true);
    expect(toSrt(index)).toContain('2\n00:00:02,800 --> 00:00:05,000\nBo: Hi Ana, about the invoice.');
    expect(toText(index).split('\n')[2]).toBe('[00:00:06] Ana: The invoice, sure.');
    const tricky = buildTranscriptIndex([
      { speaker: { id: '1', name: 'A<b>' }, text: 'a --> b & c', startTimeMillis: 0, endTimeMillis: 0 },
    ]);
    expect(toVtt(tricky)).toContain('<v A&lt;b&gt;>a -&gt; b &amp; c');
  });

  it('computes analytics: ratio, monologue, interruptions, words per minute', () => {
    const a = computeAnalytics(index);
    const ana = a.speakers.find((s) => s.speaker.name === 'Ana')!;
    const bo = a.speakers.find((s) => s.speaker.name === 'Bo')!;
    expect(ana.talkTimeMillis).toBe(4000);
    expect(bo.talkTimeMillis).toBe(2200);
    expect(ana.talkRatio + bo.talkRatio).toBeCloseTo(1);
    expect(bo.interruptions).toBe(1); // Bo started at 2.8 s while Ana spoke until 3 s
    expect(ana.interruptions).toBe(0);
    expect(ana.longestMonologueMillis).toBe(2000);
    expect(ana.wordsPerMinute).toBe(Math.round(7 / (4000 / 60000)));
  });
});
