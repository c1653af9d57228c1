import type { Migration } from './index.js';

/**
 * The transcription pipeline's state per call: where the job is (queued, fetching, transcribing,
 * done, failed with a reason a user can read), how many attempts it took, and timestamps. One row
 * per call; `generation` grows with every user-requested re-run, so a stale job of an earlier run
 * can never overwrite the state of a newer one.
 */
export const m004Pipeline: Migration = {
  id: 4,
  name: 'pipeline',
  sql: `
CREATE TABLE call_transcriptions (
  call_id bigint PRIMARY KEY REFERENCES crm_objects (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('queued', 'fetching', 'transcribing', 'done', 'failed')),
  reason text,
  error_code text,
  retrying boolean NOT NULL DEFAULT false,
  generation integer NOT NULL DEFAULT 1,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 1,
  trigger text NOT NULL,
  transcript_id bigint,
  -- the engine's per-speaker analytics (talk time, ratio, monologue, interruptions, silence, wpm)
  analytics jsonb,
  queued_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  next_attempt_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_transcriptions_unfinished ON call_transcriptions (state)
  WHERE state IN ('queued', 'fetching', 'transcribing');
`,
};
