/** The recording/transcript state a user sees for a call, from the pipeline status and the call. */
import type { CrmObject, Owner, TranscriptionStatus } from './api.ts';

export type StateKind =
  | 'queued'
  | 'fetching'
  | 'transcribing'
  | 'done'
  | 'failed'
  | 'no-seat'
  | 'none'
  | 'unknown';

export interface CallState {
  kind: StateKind;
  label: string;
  /** The plain-language reason for failed / no-seat states. */
  reason?: string;
  busy: boolean;
}

export const NO_SEAT = 'no transcript: owner has no paid Sales/Service seat';

const isPaidSeat = (seat?: string) => seat === 'sales' || seat === 'service';
const mentionsSeat = (s?: string | null) => !!s && /seat/i.test(s);

/** True when the timeline should ask the pipeline for a transcript (it has a recording and none yet). */
export function wantsTranscription(call: CrmObject, status: TranscriptionStatus | null): boolean {
  const p = call.properties;
  const hasRecording = !!(p['hs_call_external_id'] || p['hs_call_recording_url']);
  return status?.state === 'none' && hasRecording && p['hs_call_has_transcript'] !== 'true';
}

export function deriveCallState(
  call: CrmObject,
  status: TranscriptionStatus | null,
  owner?: Owner,
): CallState {
  const p = call.properties;
  const hasTranscript = p['hs_call_has_transcript'] === 'true' && !!p['hs_call_transcription_id'];
  const hasRecording = !!(p['hs_call_external_id'] || p['hs_call_recording_url']);
  if (status && status.state !== 'none') {
    const reason = status.reason ?? undefined;
    switch (status.state) {
      case 'queued':
        return status.retrying && reason
          ? { kind: 'queued', label: 'Waiting to retry', reason, busy: true }
          : { kind: 'queued', label: 'Queued for transcription', busy: true };
      case 'fetching':
        return { kind: 'fetching', label: 'Fetching the recording', busy: true };
      case 'transcribing':
        return { kind: 'transcribing', label: 'Transcribing', busy: true };
      case 'done':
        return { kind: 'done', label: 'Transcribed', busy: false };
      case 'failed':
        if (status.errorCode === 'E_NO_PAID_SEAT' || mentionsSeat(reason))
          return {
            kind: 'no-seat',
            label: 'No transcript',
            reason: 'owner has no paid Sales/Service seat',
            busy: false,
          };
        return { kind: 'failed', label: 'Failed', reason: reason ?? 'the transcription failed', busy: false };
    }
  }
  if (hasTranscript) return { kind: 'done', label: 'Transcribed', busy: false };
  if (!hasRecording) return { kind: 'none', label: 'No recording', busy: false };
  if (owner && !isPaidSeat(owner.seat))
    return {
      kind: 'no-seat',
      label: 'No transcript',
      reason: 'owner has no paid Sales/Service seat',
      busy: false,
    };
  return { kind: 'unknown', label: 'Not transcribed yet', busy: false };
}

/** One line for lists and screen readers: "Failed: recording is mono: …". */
export function stateText(state: CallState): string {
  if (state.kind === 'no-seat') return NO_SEAT;
  return state.reason ? `${state.label}: ${state.reason}` : state.label;
}
