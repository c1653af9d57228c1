/**
 * Call analytics as the pipeline computes them (talk ratio, longest monologue, interruptions,
 * words per minute). Used when the pipeline sent none, e.g. for an integrator's transcript.
 */
import type { CallAnalytics, SpeakerAnalytics } from './api.ts';
import type { TranscriptIndex } from './transcript-index.ts';

export function computeAnalytics(index: TranscriptIndex): CallAnalytics {
  const perLane = index.lanes.map((lane, i) => ({
    lane,
    channel: i + 1,
    talk: 0,
    longest: 0,
    interruptions: 0,
    words: 0,
    runStart: -1,
    runEnd: -1,
  }));
  let lastOtherEnd: number[] = perLane.map(() => -1);
  const total = { talk: 0 };
  for (const u of index.utterances) {
    const s = perLane[u.lane]!;
    const length = u.end - u.start;
    s.talk += length;
    s.words += u.wordCount;
    // A monologue is this speaker's consecutive talk with no one else speaking in between.
    const otherSpokeSince = perLane.some((o, j) => j !== u.lane && o.runEnd > s.runEnd && o.runEnd > 0);
    if (s.runStart < 0 || otherSpokeSince) s.runStart = u.start;
    s.runEnd = u.end;
    s.longest = Math.max(s.longest, s.runEnd - s.runStart);
    // An interruption: starting to talk while another speaker's utterance is still going.
    if (lastOtherEnd.some((end, j) => j !== u.lane && end > u.start)) s.interruptions++;
    lastOtherEnd = lastOtherEnd.map((end, j) => (j === u.lane ? Math.max(end, u.end) : end));
    total.talk += length;
  }
  const speakers: SpeakerAnalytics[] = perLane.map((s) => ({
    channel: s.channel,
    speaker: { id: s.lane.key, name: s.lane.name },
    talkTimeMillis: s.talk,
    talkRatio: total.talk > 0 ? s.talk / total.talk : 0,
    longestMonologueMillis: s.longest,
    interruptions: s.interruptions,
    wordsPerMinute: s.talk > 0 ? Math.round(s.words / (s.talk / 60_000)) : 0,
    wordCount: s.words,
  }));
  return { durationMillis: index.durationMillis, speakers };
}
