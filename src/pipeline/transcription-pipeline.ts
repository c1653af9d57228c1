/**
 * The transcription pipeline's facade: turns triggers (a call logged, a recording marked ready, a
 * timeline view, a user's retry) into at most one queued job per call run, runs jobs from the
 * queue, and re-enqueues unfinished runs at start-up.
 *
 * Dedup is two-layered: the call's state row is created once (`INSERT … ON CONFLICT DO NOTHING`),
 * and the job id `call-<id>-g<generation>` makes a repeated enqueue of the same run a no-op.
 */
import { AppError } from '../core/errors.js';
import type { JobQueue } from '../core/ports/job-queue.js';
import type { PipelineRecord } from './pipeline-crm.js';
import {
  runTranscriptionJob,
  type TranscriptionJobData,
  type TranscriptionJobDeps,
} from './transcription-job.js';
import type { TranscriptionStatus, TranscriptionTrigger } from './transcription-status-store.js';

/** What the status API shows for a call that has never been queued. */
export interface NoTranscription {
  callId: string;
  state: 'none';
  reason: string;
}

export type TranscriptionView = TranscriptionStatus | NoTranscription;

export interface TranscriptionPipelineDeps extends Omit<TranscriptionJobDeps, 'saveAnalytics'> {
  queue: JobQueue<TranscriptionJobData>;
  /** Runs per job (the queue's `attempts`), shown to users. */
  attempts: number;
  onError?: (error: unknown, context: string) => void;
}

/** The job id of a run: BullMQ forbids `:` in custom ids. */
export function transcriptionJobId(callId: string, generation: number): string {
  return `call-${callId}-g${generation}`;
}

/** True for a call the integrations platform logged with all three external ids, or a legacy recording URL. */
export function hasRecordingSource(call: PipelineRecord): boolean {
  const p = call.properties;
  return Boolean(
    (p['hs_call_external_id'] && p['hs_call_external_account_id'] && p['hs_call_app_id']) ||
      p['hs_call_recording_url'],
  );
}

/** Calls logged by an app with a recording: INTEGRATIONS_PLATFORM with the external ids, or legacy. */
export function isAutoTranscribed(call: PipelineRecord): boolean {
  const p = call.properties;
  const platform =
    p['hs_call_source'] === 'INTEGRATIONS_PLATFORM' &&
    Boolean(p['hs_call_external_id'] && p['hs_call_external_account_id'] && p['hs_call_app_id']);
  return platform || Boolean(p['hs_call_recording_url']);
}

export function createTranscriptionPipeline(deps: TranscriptionPipelineDeps) {
  const { status, queue, crm } = deps;
  const report = deps.onError ?? (() => undefined);

  async function enqueue(s: TranscriptionStatus): Promise<TranscriptionStatus> {
    await queue.add(transcriptionJobId(s.callId, s.generation), {
      callId: s.callId,
      generation: s.generation,
    });
    return s;
  }

  async function requireCall(callId: string): Promise<PipelineRecord> {
    if (!/^\d{1,18}$/.test(callId)) throw new AppError('E_NOT_FOUND', `Call ${callId} was not found.`);
    const call = await crm.getCall(callId);
    if (!call) throw new AppError('E_NOT_FOUND', `Call ${callId} was not found.`);
    return call;
  }

  const pipeline = {
    status,
    queue,

    /** The call's state; `none` when it was never queued. 404 for an unknown call. */
    async view(callId: string): Promise<TranscriptionView> {
      const call = await requireCall(callId);
      const s = await status.get(callId);
      if (s) return s;
      return {
        callId,
        state: 'none',
        reason: hasRecordingSource(call) ? 'not requested yet' : 'the call has no recording to transcribe',
      };
    },

    /**
     * Queues the call once. A call with a state keeps it (a second trigger is a no-op), except
     * that a still-`queued` run is enqueued again — harmless, the job id dedups — which heals a
     * crash between writing the state and enqueueing.
     */
    async request(callId: string, trigger: TranscriptionTrigger): Promise<TranscriptionView> {
      const call = await requireCall(callId);
      if (!hasRecordingSource(call)) {
        const existing = await status.get(callId);
        return existing ?? { callId, state: 'none', reason: 'the call has no recording to transcribe' };
      }
      const { status: s } = await status.ensure(callId, trigger, deps.attempts);
      return s.state === 'queued' ? enqueue(s) : s;
    },

    /** Mark-ready: queue the call, or start a new run if the last one failed (the recording may be there now). */
    async recordingReady(callId: string): Promise<TranscriptionView> {
      const s = await status.get(callId);
      if (s?.state === 'failed') {
        const restarted = await status.restart(callId, deps.attempts);
        if (restarted) return enqueue(restarted);
      }
      return pipeline.request(callId, 'recording-ready');
    },

    /** A user's re-run. 409 when the call already has its transcript. */
    async retry(callId: string): Promise<TranscriptionView> {
      await requireCall(callId);
      const s = await status.get(callId);
      if (!s) return pipeline.request(callId, 'retry');
      if (s.state === 'done' && (await crm.findGeneratedTranscript(callId))) {
        throw new AppError(
          'E_CONFLICT',
          `Call ${callId} already has its transcript (${s.transcriptId}); delete it to transcribe again.`,
        );
      }
      if (s.state !== 'done' && s.state !== 'failed') return s.state === 'queued' ? enqueue(s) : s;
      const restarted = await status.restart(callId, deps.attempts);
      return restarted ? enqueue(restarted) : ((await status.get(callId)) ?? s);
    },

    /** Starts taking jobs in this process. */
    async start(concurrency: number): Promise<void> {
      if (concurrency <= 0) return;
      const jobDeps: TranscriptionJobDeps = {
        ...deps,
        saveAnalytics: (callId, transcript) => status.saveAnalytics(callId, transcript.analytics),
      };
      // A job that failed for good outside its handler (a worker that died too often) still shows why.
      queue.onFailed((failed) => {
        if (!failed.data) return;
        void status
          .get(failed.data.callId)
          .then((s) =>
            s && s.generation === failed.data!.generation && s.state !== 'failed' && s.state !== 'done'
              ? status.transition(s.callId, s.generation, {
                  state: 'failed',
                  reason: failed.reason,
                  errorCode: 'E_INTERNAL',
                })
              : undefined,
          )
          .catch((error) => report(error, 'record a failed job'));
      });
      await queue.process((job) => runTranscriptionJob(jobDeps, job), { concurrency });
    },

    /** Enqueues every run the database says is unfinished (after a restart of the in-process queue). */
    async recover(): Promise<number> {
      const unfinished = await status.listUnfinished();
      for (const s of unfinished) await enqueue(s);
      return unfinished.length;
    },
  };
  return pipeline;
}

export type TranscriptionPipeline = ReturnType<typeof createTranscriptionPipeline>;
