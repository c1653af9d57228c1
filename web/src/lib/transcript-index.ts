/**
 * A transcript laid out for playback: every word with its start and end in flat typed arrays, so
 * "which word is playing at t" is one binary search however long the call (an hour is ~10k words).
 * HubSpot's transcripts carry times per utterance only; there, word times are spread over the
 * utterance in proportion to word length — close enough to follow along.
 */
import type { TranscriptUtterance } from './api.ts';

export interface IndexedUtterance {
  index: number;
  speakerKey: string;
  speakerName: string;
  /** Lane on the talk-track: 0 caller (channel 1), 1 recipient (channel 2), then others. */
  lane: number;
  start: number;
  end: number;
  text: string;
  firstWord: number;
  wordCount: number;
  /** Lower-cased text, for search. */
  lower: string;
}

export interface Lane {
  key: string;
  name: string;
  role: string;
}

export interface TranscriptIndex {
  utterances: IndexedUtterance[];
  lanes: Lane[];
  words: string[];
  /** Character offset of each word inside its utterance's text (for marking search hits). */
  wordOffset: Int32Array;
  wordStart: Float64Array;
  wordEnd: Float64Array;
  wordUtterance: Int32Array;
  utteranceStart: Float64Array;
  durationMillis: number;
}

export interface LaneHints {
  /** The call's owner id and direction: channel 1 is the caller, so the owner for OUTBOUND calls. */
  ownerId?: string | null;
  direction?: string | null;
}

const speakerKeyOf = (u: TranscriptUtterance, i: number) =>
  u.speaker?.id ??
  u.speaker?.email ??
  u.speaker?.name ??
  (u.channel !== undefined ? `ch${u.channel}` : `s${i}`);

function assignLanes(
  utterances: TranscriptUtterance[],
  hints: LaneHints,
): Map<string, Lane & { lane: number }> {
  const seen = new Map<string, { name: string; channel?: number; order: number }>();
  utterances.forEach((u, i) => {
    const key = speakerKeyOf(u, i);
    if (!seen.has(key)) seen.set(key, { name: u.speaker?.name || key, channel: u.channel, order: seen.size });
  });
  const rank = (key: string, s: { channel?: number; order: number }) => {
    if (s.channel !== undefined) return s.channel;
    if (hints.ownerId && key === String(hints.ownerId)) {
      if (hints.direction === 'OUTBOUND') return 0.5;
      if (hints.direction === 'INBOUND') return 2.5;
    }
    return 1 + s.order;
  };
  const ordered = [...seen.entries()].sort((a, b) => rank(a[0], a[1]) - rank(b[0], b[1]));
  const lanes = new Map<string, Lane & { lane: number }>();
  ordered.forEach(([key, s], lane) => {
    const role = lane === 0 ? 'Caller' : lane === 1 ? 'Recipient' : `Speaker ${lane + 1}`;
    lanes.set(key, { key, name: s.name, role, lane });
  });
  return lanes;
}

/** Builds the index. Utterances are sorted by start; words get times (given or interpolated). */
export function buildTranscriptIndex(input: TranscriptUtterance[], hints: LaneHints = {}): TranscriptIndex {
  const sorted = input
    .map((u, i) => ({ u, i }))
    .sort((a, b) => a.u.startTimeMillis - b.u.startTimeMillis || a.i - b.i);
  const lanes = assignLanes(
    sorted.map((s) => s.u),
    hints,
  );
  const words: string[] = [];
  const offsets: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const owners: number[] = [];
  const utterances: IndexedUtterance[] = [];
  let durationMillis = 0;

  sorted.forEach(({ u, i }, index) => {
    const key = speakerKeyOf(u, i);
    const lane = lanes.get(key)!;
    const start = Math.max(0, u.startTimeMillis);
    const end = Math.max(start, u.endTimeMillis);
    durationMillis = Math.max(durationMillis, end);
    const firstWord = words.length;
    const text = u.text ?? '';
    if (u.words && u.words.length > 0) {
      let cursor = 0;
      for (const w of u.words) {
        const at = text.indexOf(w.text, cursor);
        offsets.push(at >= 0 ? at : -1);
        if (at >= 0) cursor = at + w.text.length;
        words.push(w.text);
        starts.push(w.startTimeMillis);
        ends.push(w.endTimeMillis);
        owners.push(index);
      }
    } else {
      const tokens = [...text.matchAll(/\S+/g)];
      const weight = tokens.reduce((sum, t) => sum + t[0].length + 1, 0) || 1;
      let t = start;
      for (const token of tokens) {
        const span = ((end - start) * (token[0].length + 1)) / weight;
        words.push(token[0]);
        offsets.push(token.index ?? -1);
        starts.push(t);
        ends.push(t + span);
        owners.push(index);
        t += span;
      }
    }
    utterances.push({
      index,
      speakerKey: key,
      speakerName: lane.name,
      lane: lane.lane,
      start,
      end,
      text,
      firstWord,
      wordCount: words.length - firstWord,
      lower: text.toLowerCase(),
    });
  });

  return {
    utterances,
    lanes: [...lanes.values()].sort((a, b) => a.lane - b.lane),
    words,
    wordOffset: Int32Array.from(offsets),
    wordStart: Float64Array.from(starts),
    wordEnd: Float64Array.from(ends),
    wordUtterance: Int32Array.from(owners),
    utteranceStart: Float64Array.from(utterances.map((u) => u.start)),
    durationMillis,
  };
}

/** Index of the last element of a sorted array that is ≤ value, or -1. */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The word being spoken at `ms`: the last word started by then, if it has not ended long before. */
export function wordAt(index: TranscriptIndex, ms: number): number {
  const w = lastAtOrBefore(index.wordStart, ms);
  if (w < 0) return -1;
  // Between utterances nobody speaks: keep the last word lit only briefly after it ends.
  return ms <= index.wordEnd[w]! + 600 ? w : -1;
}

/** The utterance playing (or last played) at `ms`. */
export function utteranceAt(index: TranscriptIndex, ms: number): number {
  return lastAtOrBefore(index.utteranceStart, ms);
}

export interface SearchHit {
  utterance: number;
  /** Words covered by the match (first..last, inclusive). */
  firstWord: number;
  lastWord: number;
  timeMillis: number;
  lane: number;
}

/** Case-insensitive substring search over utterances, resolved to the words each hit covers. */
export function searchTranscript(index: TranscriptIndex, query: string, limit = 2000): SearchHit[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const hits: SearchHit[] = [];
  for (const u of index.utterances) {
    let at = u.lower.indexOf(needle);
    while (at >= 0 && hits.length < limit) {
      const endAt = at + needle.length;
      let first = -1;
      let last = -1;
      for (let w = u.firstWord; w < u.firstWord + u.wordCount; w++) {
        const off = index.wordOffset[w]!;
        if (off < 0) continue;
        const wEnd = off + index.words[w]!.length;
        if (wEnd > at && off < endAt) {
          if (first < 0) first = w;
          last = w;
        }
      }
      if (first < 0) {
        first = u.firstWord;
        last = u.firstWord;
      }
      hits.push({
        utterance: u.index,
        firstWord: first,
        lastWord: last,
        timeMillis: index.wordStart[first] ?? u.start,
        lane: u.lane,
      });
      at = u.lower.indexOf(needle, endAt);
    }
    if (hits.length >= limit) break;
  }
  return hits;
}
