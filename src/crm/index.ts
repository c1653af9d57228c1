/**
 * The CRM's public face: the HubSpot-compatible routes and the typed stores the rest of
 * callscribe uses without HTTP (calls, recording settings, transcripts) plus the event bus.
 */
export type { AssociationType } from './associations/association-types.js';
export { type Crm, type CrmRouteDeps, createCrm, registerCrmRoutes } from './build-crm-app.js';
export type {
  CallingSettings,
  CallingSettingsStore,
  RecordingSettings,
} from './calling-settings/calling-settings-store.js';
export { type CallStore, type CallWithAssociations, createCallStore } from './calls/call-store.js';
export { type CrmEventMap, type CrmEventName, CrmEvents, createCrmEvents } from './crm-events.js';
export type { CrmObject } from './objects/object-rows.js';
export type { ObjectStore } from './objects/object-store.js';
export type { ObjectType } from './objects/object-types.js';
export {
  createTranscriptStore,
  type NewTranscript,
  type Transcript,
  type TranscriptSource,
  type TranscriptStore,
} from './transcripts/transcript-store.js';
export type { TranscriptUtteranceInput } from './transcripts/transcript-validation.js';

import type { Crm } from './build-crm-app.js';
import type { RecordingSettings } from './calling-settings/calling-settings-store.js';

/** The recording settings an app registered, or undefined (for the pipeline's recording fetch). */
export function getRecordingSettings(
  crm: Crm,
  appId: string | number,
): Promise<RecordingSettings | undefined> {
  const id = Number(appId);
  if (!Number.isSafeInteger(id) || id < 1) return Promise.resolve(undefined);
  return crm.settings.findRecording(id);
}
