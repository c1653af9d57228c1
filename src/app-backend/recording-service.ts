/**
 * The calling app's recordings: bytes in the BlobStore, one row per (externalAccountId,
 * externalId) in `app_recordings`. Upload sniffs and size-limits while streaming; the row is
 * written only after the blob is whole, so every row names complete bytes.
 */
import { AppError, invalid } from '../core/errors.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import type { Queryable } from '../storage/db/index.js';
import { type AudioFormat, CONTENT_TYPES, peek, SNIFF_BYTES, sniffAudio } from './audio-sniff.js';

export interface Recording {
  externalAccountId: string;
  externalId: string;
  appId: string;
  size: number;
  sha256: string;
  etag: string;
  contentType: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoreInput {
  externalAccountId: string;
  externalId: string;
  appId: string;
  body: AsyncIterable<Uint8Array>;
}

const ID = /^[\x21-\x7e]{1,200}$/;
const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,120}$/;

/**
 * A blob-key segment for a user-chosen id: kept as is when it is plainly safe, otherwise `~` +
 * base64url (the `~` cannot occur in a kept segment, so the two forms never collide).
 */
export function keySegment(id: string): string {
  return SAFE_SEGMENT.test(id) ? id : `~${Buffer.from(id, 'utf8').toString('base64url')}`;
}

/** The blob key of a recording. */
export function recordingKey(externalAccountId: string, externalId: string): string {
  return `recordings/${keySegment(externalAccountId)}/${keySegment(externalId)}`;
}

/** Throws E_VALIDATION unless `value` is a printable id of 1–200 characters. */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(`${field} is required.`, field);
  if (!ID.test(value)) throw invalid(`${field} must be 1-200 printable characters without spaces.`, field);
  return value;
}

interface Row {
  external_account_id: string;
  external_id: string;
  app_id: string;
  size: number;
  sha256: string;
  etag: string;
  content_type: string;
  created_at: Date;
  updated_at: Date;
}

const toRecording = (r: Row): Recording => ({
  externalAccountId: r.external_account_id,
  externalId: r.external_id,
  appId: r.app_id,
  size: Number(r.size),
  sha256: r.sha256,
  etag: r.etag,
  contentType: r.content_type,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export interface RecordingServiceOptions {
  db: Queryable;
  blobs: BlobStore;
  /** Largest upload in bytes (413 beyond). */
  maxBytes: number;
  /** How long a looked-up recording's (account, app) is remembered, ms. Default 30 s. */
  cacheMs?: number;
}

export function createRecordingService(options: RecordingServiceOptions) {
  const { db, blobs, maxBytes } = options;
  const cacheMs = options.cacheMs ?? 30_000;
  // externalId → rows, for the endpoint HubSpot calls: it is hit on every timeline view, so a
  // database round trip per call is avoided. Positive answers only; uploads here refresh it, and
  // another server's upload or delete shows after at most `cacheMs` (the media URL still checks the
  // blob itself, so a deleted recording is never served).
  const cache = new Map<string, { at: number; rows: Recording[] }>();

  async function byExternalId(externalId: string): Promise<Recording[]> {
    const hit = cache.get(externalId);
    if (hit && Date.now() - hit.at < cacheMs) return hit.rows;
    const rows = (
      await db.query<Row>('SELECT * FROM app_recordings WHERE external_id = $1', [externalId])
    ).map(toRecording);
    if (rows.length > 0) {
      if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
      cache.set(externalId, { at: Date.now(), rows });
    } else {
      cache.delete(externalId);
    }
    return rows;
  }

  return {
    /** Sniffs, streams into the blob store (size-limited), then records the row. `created` is false on replace. */
    async store(input: StoreInput): Promise<{ recording: Recording; created: boolean; format: AudioFormat }> {
      const externalAccountId = checkId(input.externalAccountId, 'externalAccountId');
      const externalId = checkId(input.externalId, 'externalId');
      const appId = checkId(input.appId, 'appId');
      const { head, body } = await peek(input.body, SNIFF_BYTES);
      const format = sniffAudio(head);
      const key = recordingKey(externalAccountId, externalId);
      const put = await blobs.put(key, body, { maxBytes, contentType: CONTENT_TYPES[format] });
      const [row] = await db.query<Row & { created: boolean }>(
        `INSERT INTO app_recordings
           (external_account_id, external_id, app_id, blob_key, size, sha256, etag, content_type)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (external_account_id, external_id) DO UPDATE SET
           app_id = EXCLUDED.app_id, blob_key = EXCLUDED.blob_key, size = EXCLUDED.size,
           sha256 = EXCLUDED.sha256, etag = EXCLUDED.etag, content_type = EXCLUDED.content_type,
           updated_at = now()
         RETURNING *, (xmax = 0) AS created`,
        [externalAccountId, externalId, appId, key, put.size, put.sha256, put.etag, CONTENT_TYPES[format]],
      );
      cache.delete(externalId);
      return { recording: toRecording(row!), created: Boolean(row!.created), format };
    },

    /** The recording, or undefined. */
    async get(externalAccountId: string, externalId: string): Promise<Recording | undefined> {
      return (await byExternalId(externalId)).find((r) => r.externalAccountId === externalAccountId);
    },

    /**
     * The recording HubSpot asks for: 404 E_RECORDING_NOT_FOUND when no account has this
     * externalId, 403 E_RECORDING_APP_MISMATCH when it belongs to another account or app.
     */
    async authorize(externalId: string, externalAccountId: string, appId: string): Promise<Recording> {
      const rows = await byExternalId(externalId);
      if (rows.length === 0) {
        throw new AppError(
          'E_RECORDING_NOT_FOUND',
          `No recording is stored under externalId ${externalId}.`,
          {
            details: [{ message: `Recording ${externalId} was not found.`, code: 'OBJECT_NOT_FOUND' }],
          },
        );
      }
      const mine = rows.find((r) => r.externalAccountId === externalAccountId);
      if (!mine) {
        throw new AppError(
          'E_RECORDING_APP_MISMATCH',
          `Recording ${externalId} does not belong to externalAccountId ${externalAccountId}.`,
        );
      }
      if (mine.appId !== appId) {
        throw new AppError(
          'E_RECORDING_APP_MISMATCH',
          `Recording ${externalId} does not belong to appId ${appId}.`,
        );
      }
      return mine;
    },

    /** Removes the row, then the blob. Returns false when there was none. */
    async remove(externalAccountId: string, externalId: string): Promise<boolean> {
      const rows = await db.query(
        'DELETE FROM app_recordings WHERE external_account_id = $1 AND external_id = $2 RETURNING 1',
        [externalAccountId, externalId],
      );
      cache.delete(externalId);
      await blobs.delete(recordingKey(externalAccountId, externalId));
      return rows.length > 0;
    },
  };
}

export type RecordingService = ReturnType<typeof createRecordingService>;
