/**
 * Checks a transcript create body (reference §4): `engagementId` and a non-empty
 * `transcriptCreateUtterances`, each with `speaker{id,name,email?}`, non-empty `text`,
 * non-negative whole `startTimeMillis` ≤ `endTimeMillis`, optional `languageCode`.
 */
import { AppError, type ErrorDetail } from '../../core/errors.js';

export interface TranscriptSpeaker {
  id: string;
  name: string;
  email?: string;
}

/** One utterance to store. `channel`, `confidence` and `words` are callscribe's own extras. */
export interface TranscriptUtteranceInput {
  speaker: TranscriptSpeaker;
  text: string;
  languageCode?: string;
  startTimeMillis: number;
  endTimeMillis: number;
  channel?: number;
  confidence?: number;
  words?: { text: string; startTimeMillis: number; endTimeMillis: number; confidence: number }[];
}

const MAX_UTTERANCES = 10_000;

function fail(details: ErrorDetail[]): AppError {
  return new AppError('E_VALIDATION', `Invalid transcript: ${details.map((d) => d.message).join(' ')}`, {
    details,
  });
}

function at(i: number, field: string, message: string): ErrorDetail {
  return {
    message: `transcriptCreateUtterances[${i}].${field} ${message}`,
    code: 'INVALID_UTTERANCE',
    in: `transcriptCreateUtterances[${i}].${field}`,
  };
}

/** Validates utterances; throws one 400 listing every problem. */
export function checkUtterances(raw: unknown): TranscriptUtteranceInput[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw fail([
      {
        message: 'transcriptCreateUtterances must be a non-empty array.',
        code: 'INVALID_UTTERANCE',
        in: 'transcriptCreateUtterances',
      },
    ]);
  }
  if (raw.length > MAX_UTTERANCES) {
    throw fail([{ message: `A transcript holds at most ${MAX_UTTERANCES} utterances.`, code: 'TOO_MANY' }]);
  }
  const details: ErrorDetail[] = [];
  const out: TranscriptUtteranceInput[] = [];
  raw.forEach((u, i) => {
    if (typeof u !== 'object' || u === null) {
      details.push(at(i, '', 'must be an object.'));
      return;
    }
    const item = u as Record<string, unknown>;
    const speaker = item['speaker'] as Record<string, unknown> | undefined;
    if (typeof speaker !== 'object' || speaker === null) details.push(at(i, 'speaker', 'is required.'));
    else {
      if (typeof speaker['id'] !== 'string' || speaker['id'] === '')
        details.push(at(i, 'speaker.id', 'is required.'));
      if (typeof speaker['name'] !== 'string' || speaker['name'] === '')
        details.push(at(i, 'speaker.name', 'is required.'));
      if (speaker['email'] !== undefined && typeof speaker['email'] !== 'string')
        details.push(at(i, 'speaker.email', 'must be a string.'));
    }
    if (typeof item['text'] !== 'string' || item['text'].trim() === '')
      details.push(at(i, 'text', 'is required.'));
    if (item['languageCode'] !== undefined && typeof item['languageCode'] !== 'string') {
      details.push(at(i, 'languageCode', 'must be a string such as en-US.'));
    }
    const start = item['startTimeMillis'];
    const end = item['endTimeMillis'];
    const okStart = Number.isSafeInteger(start) && (start as number) >= 0;
    const okEnd = Number.isSafeInteger(end) && (end as number) >= 0;
    if (!okStart) details.push(at(i, 'startTimeMillis', 'must be a non-negative whole number.'));
    if (!okEnd) details.push(at(i, 'endTimeMillis', 'must be a non-negative whole number.'));
    if (okStart && okEnd && (end as number) < (start as number)) {
      details.push(at(i, 'endTimeMillis', 'must not be before startTimeMillis.'));
    }
    if (details.length > 0) return;
    const s = speaker as Record<string, string>;
    out.push({
      speaker: { id: s['id']!, name: s['name']!, ...(s['email'] !== undefined ? { email: s['email'] } : {}) },
      text: item['text'] as string,
      ...(item['languageCode'] !== undefined ? { languageCode: item['languageCode'] as string } : {}),
      startTimeMillis: start as number,
      endTimeMillis: end as number,
      ...(typeof item['channel'] === 'number' ? { channel: item['channel'] } : {}),
      ...(typeof item['confidence'] === 'number' ? { confidence: item['confidence'] } : {}),
      ...(Array.isArray(item['words']) ? { words: item['words'] as TranscriptUtteranceInput['words'] } : {}),
    });
  });
  if (details.length > 0) throw fail(details);
  return out;
}
