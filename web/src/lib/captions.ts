/** Transcript downloads: WebVTT (W3C, voice spans), SubRip, and plain text. */
import type { TranscriptIndex } from './transcript-index.ts';

function stamp(ms: number, separator: '.' | ','): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}${separator}${String(milli).padStart(3, '0')}`;
}

// Cue text must not contain "-->" nor a blank line (WebVTT §4.1); "<" and "&" are escaped.
const cueText = (text: string) => text.replace(/-->/g, '->').replace(/\s*\n\s*/g, ' ');
const vttEscape = (text: string) =>
  cueText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function toVtt(index: TranscriptIndex): string {
  const cues = index.utterances.map(
    (u, i) =>
      `${i + 1}\n${stamp(u.start, '.')} --> ${stamp(Math.max(u.end, u.start + 1), '.')}\n<v ${vttEscape(u.speakerName)}>${vttEscape(u.text)}`,
  );
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

export function toSrt(index: TranscriptIndex): string {
  return (
    index.utterances
      .map(
        (u, i) =>
          `${i + 1}\n${stamp(u.start, ',')} --> ${stamp(Math.max(u.end, u.start + 1), ',')}\n${cueText(u.speakerName)}: ${cueText(u.text)}`,
      )
      .join('\n\n') + '\n'
  );
}

export function toText(index: TranscriptIndex): string {
  return (
    index.utterances
      .map((u) => `[${stamp(u.start, '.').slice(0, 8)}] ${u.speakerName}: ${cueText(u.text)}`)
      .join('\n') + '\n'
  );
}
