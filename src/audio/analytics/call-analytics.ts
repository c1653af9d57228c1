/**
 * Call analytics per speaker, from the merged utterances: talk time, talk ratio, longest
 * monologue, interruptions (starting to talk while another party is talking), words per minute,
 * and the call's silence (time in which nobody speaks).
 */
import type { CallAnalytics, Speaker, SpeakerAnalytics, Utterance } from '../../core/transcript.js';

type Interval = [number, number];

/** Total length of the union of intervals. */
export function unionMillis(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  let start = 0;
  for (const [s, e] of sorted) {
    if (s > end) {
      if (end > -Infinity) total += end - start;
      start = s;
      end = e;
    } else end = Math.max(end, e);
  }
  if (end > -Infinity) total += end - start;
  return total;
}

/** An overlap must last this long to count as an interruption (not a back-channel click). */
const INTERRUPTION_MIN_OVERLAP_MILLIS = 200;

function interruptionsBy(channel: number, utterances: readonly Utterance[]): number {
  let count = 0;
  for (const u of utterances) {
    if (u.channel !== channel) continue;
    const interrupted = utterances.some(
      (other) =>
        other.channel !== channel &&
        other.startTimeMillis < u.startTimeMillis &&
        other.endTimeMillis - u.startTimeMillis >= INTERRUPTION_MIN_OVERLAP_MILLIS,
    );
    if (interrupted) count++;
  }
  return count;
}

/** The longest stretch in which this speaker talks and no other speaker starts an utterance. */
function longestMonologue(channel: number, utterances: readonly Utterance[]): number {
  let longest = 0;
  let runStart = -1;
  let runEnd = -1;
  for (const u of utterances) {
    if (u.channel === channel) {
      if (runStart < 0) runStart = u.startTimeMillis;
      runEnd = Math.max(runEnd, u.endTimeMillis);
      longest = Math.max(longest, runEnd - runStart);
    } else {
      runStart = -1;
      runEnd = -1;
    }
  }
  return longest;
}

/** Analytics of a call; `utterances` sorted by start time, `speakers[i]` on channel i + 1. */
export function computeAnalytics(
  durationMillis: number,
  speakers: readonly Speaker[],
  utterances: readonly Utterance[],
): CallAnalytics {
  const talk = speakers.map((_, i) =>
    unionMillis(
      utterances.filter((u) => u.channel === i + 1).map((u) => [u.startTimeMillis, u.endTimeMillis]),
    ),
  );
  const totalTalk = talk.reduce((a, b) => a + b, 0);
  const perSpeaker: SpeakerAnalytics[] = speakers.map((speaker, i) => {
    const channel = i + 1;
    const wordCount = utterances.filter((u) => u.channel === channel).reduce((n, u) => n + u.words.length, 0);
    const talkTimeMillis = talk[i]!;
    return {
      channel,
      speaker,
      talkTimeMillis,
      talkRatio: totalTalk > 0 ? Number((talkTimeMillis / totalTalk).toFixed(4)) : 0,
      longestMonologueMillis: longestMonologue(channel, utterances),
      interruptions: interruptionsBy(channel, utterances),
      wordsPerMinute: talkTimeMillis > 0 ? Math.round((wordCount / talkTimeMillis) * 60_000) : 0,
      wordCount,
    };
  });
  const speech = unionMillis(utterances.map((u) => [u.startTimeMillis, u.endTimeMillis]));
  return { durationMillis, silenceMillis: Math.max(0, durationMillis - speech), speakers: perSpeaker };
}
