/**
 * One transcription job: a call's run from `queued` to `done` or `failed`. Idempotent — the job
 * may run twice (at-least-once delivery, a worker killed mid-job), so it re-reads the state first,
 * and the transcript write itself is one-per-call in the CRM store.
 *
 * Order: state → call → existing transcript? → seat gate → fetch (endpoint or legacy URL) →
 * transcribe in a child process → store as HUBSPOT_GENERATED → done.
 */
import { rm } from 'node:fs/promises';
import { isPermanentAudioError } from '../audio/permanent-errors.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import { type Job, PermanentJobError } from '../core/ports/job-queue.js';
import type { Transcript } from '../core/transcript.js';
import { isPaidSeat } from '../crm/owners/owner-store.js';
import { callSpeakers } from './call-speakers.js';
import type { PipelineCrm, PipelineRecord, TranscriptUtteranceInput } from './pipeline-crm.js';
import {
  fetchRecording,
  isTransientFetchError,
  type RecordingFetchOptions,
  type RecordingSource,
} from './recording-fetcher.js';
import type { Transcriber } from './transcribe-in-child.js';
import type { TranscriptionStatusStore } from './transcription-status-store.js';

/** What a queued job carries. */
export interface TranscriptionJobData {
  callId: string;
  generation: number;
}

export interface TranscriptionJobDeps {
  crm: PipelineCrm;
  status: TranscriptionStatusStore;
  transcribe: Transcriber;
  fetch: RecordingFetchOptions;
  /** The app's client secret used to sign endpoint requests (HubSpot v3); unset: unsigned. */
  clientSecret: string | undefined;
  /** First retry delay (the queue's backoff), to tell users when the next attempt comes. */
  backoffMs: number;
  language?: string;
  /** Analytics and engine details stored beside the transcript. */
  saveAnalytics(callId: string, transcript: Transcript): Promise<void>;
}

/** The reason a call without a paid seat shows. */
export const NO_SEAT_REASON = "no transcript: the call's owner has no paid Sales or Service seat";
/** The reason a call without an owner (`hubspot_owner_id`) shows. */
export const NO_OWNER_REASON =
  'no transcript: the call has no owner, and only owners with a paid Sales or Service seat get transcripts';

/** Codes that no retry can fix, besides the audio refusals (one list, in src/audio). */
const PERMANENT_PIPELINE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_RECORDING_UNAVAILABLE',
  'E_RECORDING_TOO_LARGE',
  'E_RECORDING_URL_REFUSED',
  'E_RECORDING_SOURCE_MISSING',
  'E_NO_PAID_SEAT',
  'E_NOT_FOUND',
]);

export function isPermanentPipelineError(error: unknown): boolean {
  if (isPermanentAudioError(error)) return true;
  if (error instanceof AppError) return PERMANENT_PIPELINE_CODES.has(error.code);
  return !isTransientFetchError(error);
}

/** Where the call's recording comes from: the app's endpoint, or a legacy public URL. */
export async function recordingSourceOf(
  call: PipelineRecord,
  crm: PipelineCrm,
  clientSecret: string | undefined,
): Promise<RecordingSource> {
  const p = call.properties;
  const externalId = p['hs_call_external_id'];
  const externalAccountId = p['hs_call_external_account_id'];
  const appId = p['hs_call_app_id'];
  if (externalId && externalAccountId && appId) {
    const urlTemplate = await crm.getRecordingUrlTemplate(appId);
    if (!urlTemplate) {
      throw new AppError(
        'E_RECORDING_SOURCE_MISSING',
        `App ${appId} has registered no urlToRetrieveAuthedRecording, so the recording cannot be fetched.`,
      );
    }
    return {
      kind: 'authenticated',
      urlTemplate,
      externalId,
      externalAccountId,
      appId,
      ...(clientSecret ? { clientSecret } : {}),
    };
  }
  const legacy = p['hs_call_recording_url'];
  if (legacy) return { kind: 'legacy', url: legacy };
  throw new AppError(
    'E_RECORDING_SOURCE_MISSING',
    'The call has no recording to fetch: neither external ids (hs_call_external_id, hs_call_external_account_id, hs_call_app_id) nor hs_call_recording_url.',
  );
}

function toUtterances(transcript: Transcript, language: string): TranscriptUtteranceInput[] {
  return transcript.utterances
    .filter((u) => u.text.trim() !== '')
    .map((u) => ({
      speaker: {
        id: u.speaker.id,
        name: u.speaker.name,
        ...(u.speaker.email ? { email: u.speaker.email } : {}),
      },
      text: u.text,
      languageCode: language,
      startTimeMillis: Math.max(0, Math.round(u.startTimeMillis)),
      endTimeMillis: Math.max(0, Math.round(u.startTimeMillis), Math.round(u.endTimeMillis)),
      channel: u.channel,
      confidence: u.confidence,
      words: u.words.map((w) => ({
        text: w.text,
        startTimeMillis: Math.max(0, Math.round(w.startTimeMillis)),
        endTimeMillis: Math.max(0, Math.round(w.endTimeMillis)),
        confidence: w.confidence,
      })),
    }));
}

/** Runs one job. Throws to ask the queue for a retry, or a PermanentJobError to stop. */
export async function runTranscriptionJob(
  deps: TranscriptionJobDeps,
  job: Job<TranscriptionJobData>,
): Promise<void> {
  const { callId, generation } = job.data;
  const current = await deps.status.get(callId);
  // A duplicate delivery of a finished run, or a job of a run the user has since restarted.
  if (!current || current.generation !== generation || current.state === 'done') return;
  let file: string | undefined;
  try {
    await deps.status.transition(callId, generation, { state: 'fetching', startAttempt: true });
    const call = await deps.crm.getCall(callId);
    if (!call)
      throw new AppError('E_NOT_FOUND', `Call ${callId} was deleted before it could be transcribed.`);
    const existing = await deps.crm.findGeneratedTranscript(callId);
    if (existing) {
      await deps.status.transition(callId, generation, { state: 'done', transcriptId: existing });
      return;
    }
    const ownerId = call.properties['hubspot_owner_id'];
    const owner = ownerId ? await deps.crm.getOwner(ownerId) : undefined;
    if (!owner) throw new AppError('E_NO_PAID_SEAT', NO_OWNER_REASON);
    if (!isPaidSeat(owner.seat)) throw new AppError('E_NO_PAID_SEAT', NO_SEAT_REASON);

    const source = await recordingSourceOf(call, deps.crm, deps.clientSecret);
    file = (await fetchRecording(source, deps.fetch)).path;
    await deps.status.transition(callId, generation, { state: 'transcribing' });
    const language = deps.language ?? 'en-US';
    const contact = await deps.crm.getContactOfCall(callId);
    const transcript = await deps.transcribe({
      path: file,
      speakers: callSpeakers(call, owner, contact),
      language,
    });
    const transcriptId = await deps.crm.storeGeneratedTranscript(callId, toUtterances(transcript, language));
    await deps.saveAnalytics(callId, transcript);
    await deps.status.transition(callId, generation, { state: 'done', transcriptId });
  } catch (error) {
    await recordFailure(deps, job, error);
  } finally {
    if (file) await rm(file, { force: true });
  }
}

async function recordFailure(
  deps: TranscriptionJobDeps,
  job: Job<TranscriptionJobData>,
  error: unknown,
): Promise<never> {
  const { callId, generation } = job.data;
  const reason = error instanceof Error ? error.message : String(error);
  const errorCode = error instanceof AppError ? error.code : 'E_INTERNAL';
  const permanent = isPermanentPipelineError(error);
  if (permanent || job.attempt >= job.maxAttempts) {
    await deps.status.transition(callId, generation, { state: 'failed', reason, errorCode });
    throw permanent ? new PermanentJobError(reason) : error;
  }
  const nextAttemptAt = new Date(Date.now() + deps.backoffMs * 2 ** (job.attempt - 1));
  await deps.status.transition(callId, generation, {
    state: 'queued',
    retrying: true,
    reason: `attempt ${job.attempt} of ${job.maxAttempts} failed (${reason}); retrying`,
    errorCode,
    nextAttemptAt,
  });
  throw error;
}
