/**
 * Merging: each channel's recognised utterances, placed at their time in the call, become one
 * transcript ordered by time, each utterance attributed to its channel's speaker.
 */
import type { Speaker, TimedWord, Transcript, Utterance } from '../../core/transcript.js';
import { computeAnalytics } from '../analytics/call-analytics.js';

/** Channel 1 is the caller, channel 2 the recipient, further channels further participants. */
export function defaultSpeaker(channel: number): Speaker {
  if (channel === 1) return { id: 'caller', name: 'Caller' };
  if (channel === 2) return { id: 'recipient', name: 'Recipient' };
  return { id: `participant-${channel}`, name: `Participant ${channel}` };
}

/** Default speakers with the caller's overrides (index 0 = channel 1) laid over them. */
export function resolveSpeakers(
  channels: number,
  overrides: readonly (Partial<Speaker> | undefined)[] = [],
): Speaker[] {
  return Array.from({ length: channels }, (_, i) => ({ ...defaultSpeaker(i + 1), ...(overrides[i] ?? {}) }));
}

/** Words of one recognised utterance, shifted to call time. */
export interface RecognisedSegment {
  channel: number;
  startMillis: number;
  endMillis: number;
  words: TimedWord[];
}

/** Engine filler tokens (pocketsphinx `<sil>`, `[NOISE]`, `++BREATH++`) are not words. */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+|\(.*\))$/;

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** One utterance from a recognised segment, or undefined when the engine heard no words. */
export function toUtterance(segment: RecognisedSegment, speaker: Speaker): Utterance | undefined {
  const words = segment.words
    .filter((w) => w.text.trim() !== '' && !FILLER.test(w.text))
    .map((w) => ({ ...w, text: w.text.trim() }));
  if (words.length === 0) return undefined;
  return {
    channel: segment.channel,
    speaker,
    text: words.map((w) => w.text).join(' '),
    startTimeMillis: words[0]!.startTimeMillis,
    endTimeMillis: Math.max(...words.map((w) => w.endTimeMillis)),
    confidence: Number(mean(words.map((w) => w.confidence)).toFixed(4)),
    words,
  };
}

/** The whole transcript: utterances ordered by start (then channel), with analytics. */
export function mergeTranscript(
  durationMillis: number,
  speakers: readonly Speaker[],
  segments: readonly RecognisedSegment[],
): Transcript {
  const utterances = segments
    .map((s) => toUtterance(s, speakers[s.channel - 1] ?? defaultSpeaker(s.channel)))
    .filter((u): u is Utterance => u !== undefined)
    .sort((a, b) => a.startTimeMillis - b.startTimeMillis || a.channel - b.channel);
  return {
    durationMillis,
    channels: speakers.length,
    utterances,
    analytics: computeAnalytics(durationMillis, speakers, utterances),
  };
}
