import { describe, expect, it } from 'vitest';
import type { CrmObject } from './api.ts';
import { deriveCallState, NO_SEAT, stateText } from './state.ts';

const call = (properties: Record<string, string>): CrmObject => ({ id: '1', properties });
const recorded = call({ hs_call_external_id: 'x' });

describe('call state', () => {
  it.each([
    ['queued', 'Queued for transcription'],
    ['fetching', 'Fetching the recording'],
    ['transcribing', 'Transcribing'],
    ['done', 'Transcribed'],
  ])('shows %s', (state, label) => {
    expect(deriveCallState(recorded, { state }).label).toBe(label);
  });

  it('shows a failure with its reason', () => {
    const s = deriveCallState(recorded, {
      state: 'failed',
      reason: 'recording is mono',
      errorCode: 'E_AUDIO_MONO',
    });
    expect(stateText(s)).toBe('Failed: recording is mono');
  });

  it('says why there is no transcript when the owner has no paid seat', () => {
    expect(
      stateText(deriveCallState(recorded, { state: 'failed', errorCode: 'E_NO_PAID_SEAT', reason: 'x' })),
    ).toBe(NO_SEAT);
    expect(stateText(deriveCallState(recorded, null, { id: '9', seat: 'core' }))).toBe(NO_SEAT);
    expect(deriveCallState(recorded, null, { id: '9', seat: 'sales' }).kind).toBe('unknown');
  });

  it('falls back on the call properties', () => {
    expect(
      deriveCallState(call({ hs_call_has_transcript: 'true', hs_call_transcription_id: '5' }), null).kind,
    ).toBe('done');
    expect(deriveCallState(call({}), null).kind).toBe('none');
  });
});
