/**
 * A transcript as the CLI prints it: `json` (the Transcript object), WebVTT with voice tags
 * (`<v Caller>`; W3C WebVTT §4.2.2), SubRip (SRT) with the speaker's name before the text, and
 * plain text with one timed line per utterance.
 */
import type { Transcript } from '../../core/transcript.js';

export const TRANSCRIPT_FORMATS = ['json', 'vtt', 'srt', 'text'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

function clock(millis: number, separator: '.' | ','): string {
  const ms = Math.max(0, Math.round(millis));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** WebVTT cue text escapes `&`, `<` and `>`; a voice annotation may not contain `>` either. */
function vttEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cue times must not be equal: give a zero-length utterance a minimal duration. */
function end(start: number, stop: number): number {
  return stop > start ? stop : start + 1;
}

/** Rendering choices; `speakers: false` leaves out voice tags and names (single-speaker output). */
export interface RenderOptions {
  speakers?: boolean;
}

export function toWebVtt(transcript: Transcript, options: RenderOptions = {}): string {
  const cues = transcript.utterances.map((u) => {
    const text =
      options.speakers === false
        ? vttEscape(u.text)
        : `<v ${vttEscape(u.speaker.name)}>${vttEscape(u.text)}</v>`;
    return `${clock(u.startTimeMillis, '.')} --> ${clock(end(u.startTimeMillis, u.endTimeMillis), '.')}\n${text}`;
  });
  return `WEBVTT\n\n${cues.join('\n\n')}${cues.length ? '\n' : ''}`;
}

export function toSrt(transcript: Transcript, options: RenderOptions = {}): string {
  return transcript.utterances
    .map(
      (u, i) =>
        `${i + 1}\n${clock(u.startTimeMillis, ',')} --> ${clock(end(u.startTimeMillis, u.endTimeMillis), ',')}\n${options.speakers === false ? '' : `${u.speaker.name}: `}${u.text}\n`,
    )
    .join('\n');
}

export function toText(transcript: Transcript): string {
  return transcript.utterances
    .map((u) => `[${clock(u.startTimeMillis, '.').slice(0, 8)}] ${u.speaker.name}: ${u.text}\n`)
    .join('');
}

/** The transcript in one of {@link TRANSCRIPT_FORMATS}, ending with a newline. */
export function renderTranscript(transcript: Transcript, format: TranscriptFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(transcript, null, 2)}\n`;
    case 'vtt':
      return toWebVtt(transcript);
    case 'srt':
      return toSrt(transcript);
    case 'text':
      return toText(transcript);
  }
}
