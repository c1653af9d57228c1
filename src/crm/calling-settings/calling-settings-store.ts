/**
 * App-level settings of the calling extension: the general settings (name, iframe URL, size,
 * flags) and the recording settings (`urlToRetrieveAuthedRecording`), one row each per app id,
 * plus the recording-ready marks the transcription pipeline acts on.
 */
import { AppError, invalid, notFound } from '../../core/errors.js';
import type { Database } from '../../storage/db/index.js';
import { requireRecord } from '../associations/association-store.js';
import type { CrmEvents } from '../crm-events.js';
import { checkAppUrl, checkRecordingUrlTemplate } from './url-rules.js';

export interface RecordingSettings {
  urlToRetrieveAuthedRecording: string;
  createdAt: string;
  updatedAt: string;
}

export interface CallingSettings {
  name: string;
  url: string;
  height: number;
  width: number;
  isReady: boolean;
  supportsCustomObjects: boolean;
  supportsInboundCalling: boolean;
  usesCallingWindow: boolean;
  usesRemote: boolean;
  createdAt: string;
  updatedAt: string;
}

type SettingsFields = Omit<CallingSettings, 'createdAt' | 'updatedAt'>;

const DEFAULTS: Omit<SettingsFields, 'name' | 'url'> = {
  height: 600,
  width: 400,
  isReady: false,
  supportsCustomObjects: false,
  supportsInboundCalling: false,
  usesCallingWindow: true,
  usesRemote: false,
};
const BOOLEANS = [
  'isReady',
  'supportsCustomObjects',
  'supportsInboundCalling',
  'usesCallingWindow',
  'usesRemote',
] as const;

function conflict(message: string): AppError {
  return new AppError('E_CONFLICT', message, { details: [{ message, code: 'ALREADY_EXISTS' }] });
}

/** Validates the given settings fields (all optional); unknown fields are a 400. */
function checkSettings(body: Record<string, unknown>, devMode: boolean): Partial<SettingsFields> {
  const out: Partial<SettingsFields> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (key === 'name') {
      if (typeof value !== 'string' || value.trim() === '')
        throw invalid('name must be a non-empty string.', 'name');
      out.name = value;
    } else if (key === 'url') out.url = checkAppUrl(value, 'url', devMode);
    else if (key === 'height' || key === 'width') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 10_000) {
        throw invalid(`${key} must be a whole number of pixels from 1 to 10000.`, key);
      }
      out[key] = value as number;
    } else if ((BOOLEANS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw invalid(`${key} must be true or false.`, key);
      out[key as (typeof BOOLEANS)[number]] = value;
    } else throw invalid(`Unknown calling setting "${key}".`, key);
  }
  return out;
}

export function checkAppId(raw: unknown): number {
  const text = String(raw);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw invalid(`appId must be a positive whole number, not "${text}".`, 'appId');
  }
  return n;
}

interface SettingsRow {
  settings: SettingsFields;
  created_at: Date;
  updated_at: Date;
}
interface RecordingRow {
  url_to_retrieve_authed_recording: string;
  created_at: Date;
  updated_at: Date;
}

const toSettings = (row: SettingsRow): CallingSettings => ({
  ...row.settings,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
const toRecording = (row: RecordingRow): RecordingSettings => ({
  urlToRetrieveAuthedRecording: row.url_to_retrieve_authed_recording,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export function createCallingSettingsStore(db: Database, deps: { devMode: boolean; events: CrmEvents }) {
  const { devMode } = deps;
  return {
    async createSettings(appId: number, body: Record<string, unknown>): Promise<CallingSettings> {
      const fields = checkSettings(body, devMode);
      if (!fields.name) throw invalid('name is required.', 'name');
      if (!fields.url) throw invalid('url is required.', 'url');
      const settings = { ...DEFAULTS, ...fields } as SettingsFields;
      const rows = await db.query<SettingsRow>(
        `INSERT INTO calling_settings (app_id, settings) VALUES ($1, $2::jsonb)
         ON CONFLICT (app_id) DO NOTHING RETURNING *`,
        [appId, JSON.stringify(settings)],
      );
      if (!rows[0]) throw conflict(`App ${appId} already has calling settings; PATCH them instead.`);
      return toSettings(rows[0]);
    },

    async getSettings(appId: number): Promise<CallingSettings> {
      const rows = await db.query<SettingsRow>('SELECT * FROM calling_settings WHERE app_id = $1', [appId]);
      if (!rows[0]) throw notFound('Calling settings of app', appId);
      return toSettings(rows[0]);
    },

    async updateSettings(appId: number, body: Record<string, unknown>): Promise<CallingSettings> {
      const fields = checkSettings(body, devMode);
      const rows = await db.query<SettingsRow>(
        `UPDATE calling_settings SET settings = settings || $2::jsonb, updated_at = now()
         WHERE app_id = $1 RETURNING *`,
        [appId, JSON.stringify(fields)],
      );
      if (!rows[0]) throw notFound('Calling settings of app', appId);
      return toSettings(rows[0]);
    },

    async deleteSettings(appId: number): Promise<void> {
      const rows = await db.query('DELETE FROM calling_settings WHERE app_id = $1 RETURNING app_id', [appId]);
      if (rows.length === 0) throw notFound('Calling settings of app', appId);
    },

    /** Registers the recording URL template; a second registration is a 409. */
    async registerRecording(appId: number, body: Record<string, unknown>): Promise<RecordingSettings> {
      const url = checkRecordingUrlTemplate(body['urlToRetrieveAuthedRecording'], devMode);
      const rows = await db.query<RecordingRow>(
        `INSERT INTO recording_settings (app_id, url_to_retrieve_authed_recording) VALUES ($1, $2)
         ON CONFLICT (app_id) DO NOTHING RETURNING *`,
        [appId, url],
      );
      if (!rows[0]) throw conflict(`App ${appId} already has recording settings; PATCH them instead.`);
      return toRecording(rows[0]);
    },

    /** The recording settings of an app, or undefined when it registered none. */
    async findRecording(appId: number): Promise<RecordingSettings | undefined> {
      const rows = await db.query<RecordingRow>('SELECT * FROM recording_settings WHERE app_id = $1', [
        appId,
      ]);
      return rows[0] ? toRecording(rows[0]) : undefined;
    },

    async updateRecording(appId: number, body: Record<string, unknown>): Promise<RecordingSettings> {
      const given = body['urlToRetrieveAuthedRecording'];
      const url = given === undefined ? undefined : checkRecordingUrlTemplate(given, devMode);
      const rows = await db.query<RecordingRow>(
        `UPDATE recording_settings SET url_to_retrieve_authed_recording = coalesce($2, url_to_retrieve_authed_recording),
         updated_at = now() WHERE app_id = $1 RETURNING *`,
        [appId, url ?? null],
      );
      if (!rows[0]) throw notFound('Recording settings of app', appId);
      return toRecording(rows[0]);
    },

    async deleteRecording(appId: number): Promise<void> {
      const rows = await db.query('DELETE FROM recording_settings WHERE app_id = $1 RETURNING app_id', [
        appId,
      ]);
      if (rows.length === 0) throw notFound('Recording settings of app', appId);
    },

    /** Records that a call's recording is ready, then emits `recording.ready`. */
    async markRecordingReady(engagementId: unknown): Promise<void> {
      const text = String(engagementId ?? '');
      if (engagementId === undefined || engagementId === null || !/^\d+$/.test(text)) {
        throw invalid('engagementId must be the id of a call.', 'engagementId');
      }
      const id = await requireRecord(db, 'calls', text);
      await db.query('INSERT INTO recording_ready_marks (engagement_id) VALUES ($1)', [id]);
      deps.events.emit('recording.ready', { callId: String(id) });
    },

    /** When each call's recording was last marked ready (newest first). */
    async readyMarks(callId: string): Promise<string[]> {
      const rows = await db.query<{ marked_at: Date }>(
        'SELECT marked_at FROM recording_ready_marks WHERE engagement_id = $1 ORDER BY id DESC',
        [Number(callId)],
      );
      return rows.map((r) => r.marked_at.toISOString());
    },
  };
}

export type CallingSettingsStore = ReturnType<typeof createCallingSettingsStore>;
