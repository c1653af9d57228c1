/**
 * Transcripts of calls (reference §4). Third parties create `INTEGRATOR_GENERATED` ones over the
 * API; callscribe's pipeline creates `HUBSPOT_GENERATED` ones, at most one per call: a retried
 * create returns the transcript already stored. Every write keeps the call's
 * `hs_call_has_transcript` and `hs_call_transcription_id` pointing at its newest transcript.
 */
import { invalid, notFound } from '../../core/errors.js';
import type { Database, Queryable } from '../../storage/db/index.js';
import type { CrmEvents } from '../crm-events.js';
import type { ObjectCache } from '../objects/object-cache.js';
import { type ObjectRow, toCrmObject } from '../objects/object-rows.js';
import { checkUtterances, type TranscriptUtteranceInput } from './transcript-validation.js';

export type TranscriptSource = 'HUBSPOT_GENERATED' | 'INTEGRATOR_GENERATED';

export interface TranscriptUtterance extends TranscriptUtteranceInput {
  id: string;
}

/** HubSpot's `TranscriptResponse`; `transcriptUtterances` may carry callscribe's extras. */
export interface Transcript {
  id: string;
  engagementId: number;
  transcriptSource: TranscriptSource;
  transcriptUtterances: TranscriptUtterance[];
  createdAt: string;
  updatedAt: string;
}

export interface NewTranscript {
  engagementId: number | string;
  source: TranscriptSource;
  utterances: readonly TranscriptUtteranceInput[];
}

interface TranscriptRow {
  id: number;
  engagement_id: number;
  source: TranscriptSource;
  utterances: TranscriptUtteranceInput[];
  created_at: Date;
  updated_at: Date;
}

function toTranscript(row: TranscriptRow): Transcript {
  return {
    id: String(row.id),
    engagementId: row.engagement_id,
    transcriptSource: row.source,
    transcriptUtterances: row.utterances.map((u, i) => ({ id: `${row.id}-${i + 1}`, ...u })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function parseId(raw: unknown, name: string): number {
  const text = String(raw ?? '');
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalid(`${name} must be a positive whole number, not "${text}".`, name);
  }
  return Number(text);
}

export function createTranscriptStore(db: Database, deps: { events?: CrmEvents; cache?: ObjectCache } = {}) {
  /** Locks the call (serialising transcript writes per call); 404 / 400 when it is not a live call. */
  async function lockCall(q: Queryable, callId: number): Promise<void> {
    const rows = await q.query<{ object_type: string; archived: boolean }>(
      'SELECT object_type, archived FROM crm_objects WHERE id = $1 FOR UPDATE',
      [callId],
    );
    const row = rows[0];
    if (!row || row.archived) throw notFound('Engagement', callId);
    if (row.object_type !== 'calls') {
      throw invalid(`Engagement ${callId} is not a call; transcripts attach to calls only.`, 'engagementId');
    }
  }

  /** Points the call's transcript properties at its newest transcript (or clears them). */
  async function syncCall(q: Queryable, callId: number): Promise<ObjectRow> {
    const [latest] = await q.query<{ id: number }>(
      'SELECT id FROM transcripts WHERE engagement_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
      [callId],
    );
    const now = new Date().toISOString();
    const rows = await q.query<ObjectRow>(
      `UPDATE crm_objects SET updated_at = $5::timestamptz,
         properties = (properties - 'hs_call_transcription_id') || jsonb_build_object(
           'hs_call_has_transcript', $3::text, 'hs_lastmodifieddate', $2::text)
           || (CASE WHEN $4::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('hs_call_transcription_id', $4::text) END)
       WHERE id = $1 RETURNING *`,
      [callId, now, latest ? 'true' : 'false', latest ? String(latest.id) : null, now],
    );
    return rows[0]!;
  }

  async function announce(row: ObjectRow) {
    await deps.cache?.written([row]);
    deps.events?.emit('call.updated', {
      call: toCrmObject(row),
      changed: ['hs_call_has_transcript', 'hs_call_transcription_id'],
    });
  }

  return {
    /**
     * Stores a transcript. For `HUBSPOT_GENERATED` a second create for the same call returns the
     * existing transcript with `created: false` instead of storing another.
     */
    async create(input: NewTranscript): Promise<{ transcript: Transcript; created: boolean }> {
      const callId = parseId(input.engagementId, 'engagementId');
      const utterances = checkUtterances(input.utterances);
      if (input.source !== 'HUBSPOT_GENERATED' && input.source !== 'INTEGRATOR_GENERATED') {
        throw invalid('source must be HUBSPOT_GENERATED or INTEGRATOR_GENERATED.', 'transcriptSource');
      }
      const outcome = await db.transaction(async (tx) => {
        await lockCall(tx, callId);
        const inserted = await tx.query<TranscriptRow>(
          `INSERT INTO transcripts (engagement_id, source, utterances) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (engagement_id) WHERE source = 'HUBSPOT_GENERATED' DO NOTHING RETURNING *`,
          [callId, input.source, JSON.stringify(utterances)],
        );
        if (!inserted[0]) {
          const existing = await tx.query<TranscriptRow>(
            "SELECT * FROM transcripts WHERE engagement_id = $1 AND source = 'HUBSPOT_GENERATED'",
            [callId],
          );
          return { row: existing[0]!, created: false, call: undefined };
        }
        return { row: inserted[0], created: true, call: await syncCall(tx, callId) };
      });
      if (outcome.call) await announce(outcome.call);
      return { transcript: toTranscript(outcome.row), created: outcome.created };
    },

    /** One transcript; 404 when unknown. */
    async get(id: string | number): Promise<Transcript> {
      const rows = await db.query<TranscriptRow>('SELECT * FROM transcripts WHERE id = $1', [
        parseId(id, 'transcriptId'),
      ]);
      if (!rows[0]) throw notFound('Transcript', id);
      return toTranscript(rows[0]);
    },

    /** Every transcript of a call, newest first. */
    async listForCall(callId: string | number): Promise<Transcript[]> {
      const rows = await db.query<TranscriptRow>(
        'SELECT * FROM transcripts WHERE engagement_id = $1 ORDER BY created_at DESC, id DESC',
        [parseId(callId, 'callId')],
      );
      return rows.map(toTranscript);
    },

    /** Deletes a transcript and repoints (or clears) the call's transcript properties. */
    async delete(id: string | number): Promise<void> {
      const transcriptId = parseId(id, 'transcriptId');
      const call = await db.transaction(async (tx) => {
        const rows = await tx.query<{ engagement_id: number }>(
          'DELETE FROM transcripts WHERE id = $1 RETURNING engagement_id',
          [transcriptId],
        );
        if (!rows[0]) throw notFound('Transcript', id);
        return syncCall(tx, rows[0].engagement_id);
      });
      await announce(call);
    },
  };
}

export type TranscriptStore = ReturnType<typeof createTranscriptStore>;
