/** The shapes callscribe's public APIs answer with, as the UI reads them (HubSpot's where HubSpot has one). */

export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tickets';

/** HubSpot's `SimplePublicObject`: every property value is a string (or null when unset). */
export interface CrmObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: string;
  updatedAt?: string;
}

export interface Owner {
  id: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** callscribe's extra field: sales | service | core | none. */
  seat?: string;
}

export interface Speaker {
  id: string;
  name: string;
  email?: string;
}

export interface TimedWord {
  text: string;
  startTimeMillis: number;
  endTimeMillis: number;
}

export interface TranscriptUtterance {
  id?: string;
  speaker?: Speaker;
  text: string;
  languageCode?: string;
  startTimeMillis: number;
  endTimeMillis: number;
  /** Present when the engine kept word timings (callscribe's own transcripts); else interpolated. */
  words?: TimedWord[];
  channel?: number;
}

export interface Transcript {
  id: string;
  engagementId: number | string;
  transcriptSource?: string;
  transcriptUtterances: TranscriptUtterance[];
  createdAt?: string;
}

export interface SpeakerAnalytics {
  channel?: number;
  speaker: Speaker;
  talkTimeMillis: number;
  talkRatio: number;
  longestMonologueMillis: number;
  interruptions: number;
  wordsPerMinute: number;
  wordCount?: number;
}

export interface CallAnalytics {
  durationMillis: number;
  silenceMillis?: number;
  speakers: SpeakerAnalytics[];
}

/** `none`: the pipeline was never asked about this call (its `reason` says why not). */
export type PipelineState = 'none' | 'queued' | 'fetching' | 'transcribing' | 'done' | 'failed';

/** The pipeline's view of one call (`GET /callscribe/v1/calls/{id}/transcription`). */
export interface TranscriptionStatus {
  state: PipelineState | string;
  reason?: string | null;
  /** The AppError code behind `reason` (`E_AUDIO_MONO`, `E_NO_PAID_SEAT`, …). */
  errorCode?: string | null;
  /** True while a transient failure waits for its next attempt. */
  retrying?: boolean;
  analytics?: CallAnalytics | null;
  transcriptId?: string | null;
  attempts?: number;
  updatedAt?: string;
}

export interface Page<T> {
  results: T[];
  total?: number;
  paging?: { next?: { after: string } };
}
