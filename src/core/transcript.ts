/**
 * The transcript callscribe's engine produces (`callscribe transcribe --format json`), and the
 * analytics computed from it. Channel numbers are 1-based: channel 1 is the caller, channel 2 the
 * recipient, further channels further participants.
 */

export interface Speaker {
  id: string;
  name: string;
  email?: string;
}

export interface TimedWord {
  text: string;
  startTimeMillis: number;
  endTimeMillis: number;
  /** 0..1, the recogniser's confidence in this word. */
  confidence: number;
}

export interface Utterance {
  channel: number;
  speaker: Speaker;
  text: string;
  startTimeMillis: number;
  endTimeMillis: number;
  confidence: number;
  words: TimedWord[];
}

export interface SpeakerAnalytics {
  channel: number;
  speaker: Speaker;
  talkTimeMillis: number;
  /** Share of all talk time, 0..1. */
  talkRatio: number;
  longestMonologueMillis: number;
  /** Times this speaker started talking while the other party was talking. */
  interruptions: number;
  wordsPerMinute: number;
  wordCount: number;
}

export interface CallAnalytics {
  durationMillis: number;
  /** Time in which nobody speaks. */
  silenceMillis: number;
  speakers: SpeakerAnalytics[];
}

export interface Transcript {
  durationMillis: number;
  channels: number;
  utterances: Utterance[];
  analytics: CallAnalytics;
}
