/**
 * Each call's transcription state in the database, the single source of truth every process
 * (server and workers) reads and writes. Transitions are guarded by `generation`, so a job of an
 * earlier run that wakes up late cannot overwrite a newer run's state; every change is also
 * announced in process (for the server-sent-events stream).
 */
import { EventEmitter } from 'node:events';
import type { CallAnalytics } from '../core/transcript.js';
import type { Queryable } from '../storage/db/index.js';

export const TRANSCRIPTION_STATES = ['queued', 'fetching', 'transcribing', 'done', 'failed'] as const;
export type TranscriptionState = (typeof TRANSCRIPTION_STATES)[number];

/** What started a transcription. */
export type TranscriptionTrigger =
  | 'call-created'
  | 'call-updated'
  | 'recording-ready'
  | 'timeline-view'
  | 'retry';

/** The state of one call's transcription, as the status API returns it. */
export interface TranscriptionStatus {
  callId: string;
  state: TranscriptionState;
  /** Why it failed (or why it is being retried), in words a user understands. */
  reason: string | null;
  /** The AppError code behind `reason` (`E_AUDIO_MONO`, `E_NO_PAID_SEAT`, …). */
  errorCode: string | null;
  /** True while a transient failure waits for its next attempt. */
  retrying: boolean;
  generation: number;
  attempts: number;
  maxAttempts: number;
  trigger: TranscriptionTrigger;
  transcriptId: string | null;
  /** Per-speaker call analytics, once done. */
  analytics: CallAnalytics | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
}

interface Row {
  call_id: number;
  state: TranscriptionState;
  reason: string | null;
  error_code: string | null;
  retrying: boolean;
  generation: number;
  attempts: number;
  max_attempts: number;
  trigger: TranscriptionTrigger;
  transcript_id: number | null;
  analytics: CallAnalytics | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  next_attempt_at: Date | null;
  updated_at: Date;
}

function toStatus(row: Row): TranscriptionStatus {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    callId: String(row.call_id),
    state: row.state,
    reason: row.reason,
    errorCode: row.error_code,
    retrying: row.retrying,
    generation: row.generation,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    trigger: row.trigger,
    transcriptId: row.transcript_id === null ? null : String(row.transcript_id),
    analytics: row.analytics,
    queuedAt: row.queued_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    nextAttemptAt: iso(row.next_attempt_at),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A state change, as written by {@link TranscriptionStatusStore.transition}. */
export interface Transition {
  state: TranscriptionState;
  reason?: string | null;
  errorCode?: string | null;
  retrying?: boolean;
  transcriptId?: string | null;
  nextAttemptAt?: Date | null;
  /** Counts one more attempt and stamps `started_at` (the fetch of an attempt begins). */
  startAttempt?: boolean;
}

export function createTranscriptionStatusStore(db: Queryable) {
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const announce = (status: TranscriptionStatus | undefined) => {
    if (status) changes.emit('change', status);
    return status;
  };

  return {
    /** In-process announcements of every change this process writes. */
    onChange(listener: (status: TranscriptionStatus) => void): () => void {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },

    async get(callId: string): Promise<TranscriptionStatus | undefined> {
      const rows = await db.query<Row>('SELECT * FROM call_transcriptions WHERE call_id = $1', [callId]);
      return rows[0] ? toStatus(rows[0]) : undefined;
    },

    /**
     * Creates the call's row in state `queued` unless it has one. `created` tells the trigger that
     * won; every other trigger sees the existing state and enqueues nothing new.
     */
    async ensure(
      callId: string,
      trigger: TranscriptionTrigger,
      maxAttempts: number,
    ): Promise<{ status: TranscriptionStatus; created: boolean }> {
      const inserted = await db.query<Row>(
        `INSERT INTO call_transcriptions (call_id, state, trigger, max_attempts) VALUES ($1, 'queued', $2, $3)
         ON CONFLICT (call_id) DO NOTHING RETURNING *`,
        [callId, trigger, maxAttempts],
      );
      if (inserted[0]) return { status: announce(toStatus(inserted[0]))!, created: true };
      return { status: (await this.get(callId))!, created: false };
    },

    /**
     * Starts a new run (a user's retry): back to `queued` with the next generation and no
     * attempts. Only from `failed` or `done`; returns undefined when a run is still going.
     */
    async restart(callId: string, maxAttempts: number): Promise<TranscriptionStatus | undefined> {
      const rows = await db.query<Row>(
        `UPDATE call_transcriptions SET state = 'queued', generation = generation + 1, attempts = 0,
           max_attempts = $2, trigger = 'retry', reason = NULL, error_code = NULL, retrying = false,
           analytics = NULL, transcript_id = NULL, queued_at = now(), started_at = NULL, finished_at = NULL, next_attempt_at = NULL, updated_at = now()
         WHERE call_id = $1 AND state IN ('failed', 'done') RETURNING *`,
        [callId, maxAttempts],
      );
      return announce(rows[0] ? toStatus(rows[0]) : undefined);
    },

    /**
     * Moves the run `generation` of a call to a new state. Returns undefined (and writes nothing)
     * when the call has moved on to a newer generation, or when it is already done — a finished
     * transcript is never overwritten by a late duplicate job.
     */
    async transition(
      callId: string,
      generation: number,
      change: Transition,
    ): Promise<TranscriptionStatus | undefined> {
      const finished = change.state === 'done' || change.state === 'failed';
      const rows = await db.query<Row>(
        `UPDATE call_transcriptions SET state = $3,
           reason = $4, error_code = $5, retrying = $6,
           transcript_id = COALESCE($7, transcript_id),
           next_attempt_at = $8,
           attempts = attempts + CASE WHEN $9 THEN 1 ELSE 0 END,
           started_at = CASE WHEN $9 THEN now() ELSE started_at END,
           finished_at = CASE WHEN $10 THEN now() ELSE NULL END,
           updated_at = now()
         WHERE call_id = $1 AND generation = $2 AND state <> 'done' RETURNING *`,
        [
          callId,
          generation,
          change.state,
          change.reason ?? null,
          change.errorCode ?? null,
          change.retrying ?? false,
          change.transcriptId ?? null,
          change.nextAttemptAt ?? null,
          change.startAttempt ?? false,
          finished,
        ],
      );
      return announce(rows[0] ? toStatus(rows[0]) : undefined);
    },

    /** Stores the engine's analytics with the call's transcription (before it turns `done`). */
    async saveAnalytics(callId: string, analytics: CallAnalytics): Promise<void> {
      await db.query('UPDATE call_transcriptions SET analytics = $2 WHERE call_id = $1', [
        callId,
        JSON.stringify(analytics),
      ]);
    },

    /** Calls whose run has not finished (re-enqueued at start-up by the in-process queue). */
    async listUnfinished(limit = 1000): Promise<TranscriptionStatus[]> {
      const rows = await db.query<Row>(
        `SELECT * FROM call_transcriptions WHERE state IN ('queued', 'fetching', 'transcribing')
         ORDER BY queued_at LIMIT $1`,
        [limit],
      );
      return rows.map(toStatus);
    },
  };
}

export type TranscriptionStatusStore = ReturnType<typeof createTranscriptionStatusStore>;
