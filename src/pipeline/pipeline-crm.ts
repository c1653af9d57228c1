/**
 * What the pipeline needs from the CRM, as one narrow interface: read a call, its owner and its
 * contact, the app's registered recording URL template, and write the generated transcript
 * idempotently. `createPipelineCrm` implements it over the CRM's own stores.
 */
import type { Crm } from '../crm/index.js';
import type { Owner, OwnerStore } from '../crm/owners/owner-store.js';

/** A CRM record as the pipeline reads it. */
export interface PipelineRecord {
  id: string;
  properties: Record<string, string | null | undefined>;
}

/** One utterance of the transcripts API (`transcriptCreateUtterances[]`). */
export interface TranscriptUtteranceInput {
  speaker: { id: string; name: string; email?: string };
  text: string;
  languageCode?: string;
  startTimeMillis: number;
  endTimeMillis: number;
  /** callscribe's extras, kept by the transcript store for the timeline player. */
  channel?: number;
  confidence?: number;
  words?: { text: string; startTimeMillis: number; endTimeMillis: number; confidence: number }[];
}

export interface PipelineCrm {
  /** The live call, or undefined when it does not exist or is archived. */
  getCall(callId: string): Promise<PipelineRecord | undefined>;
  getOwner(ownerId: string): Promise<Owner | undefined>;
  /** The call's first associated contact (call→contact), if any. */
  getContactOfCall(callId: string): Promise<PipelineRecord | undefined>;
  /** The app's `urlToRetrieveAuthedRecording`, if registered. */
  getRecordingUrlTemplate(appId: string): Promise<string | undefined>;
  /** The id of the call's HUBSPOT_GENERATED transcript, if one exists. */
  findGeneratedTranscript(callId: string): Promise<string | undefined>;
  /**
   * Stores the call's HUBSPOT_GENERATED transcript and sets `hs_call_has_transcript` and
   * `hs_call_transcription_id` on the call. Idempotent: if the call already has one, its id is
   * returned and nothing is written.
   */
  storeGeneratedTranscript(callId: string, utterances: TranscriptUtteranceInput[]): Promise<string>;
}

export interface PipelineCrmStores {
  crm: Crm;
  owners: OwnerStore;
}

/** The pipeline's view of the CRM, over the CRM's own stores (same validation, same events). */
export function createPipelineCrm(stores: PipelineCrmStores): PipelineCrm {
  const orUndefined = <T>(promise: Promise<T>) =>
    promise.catch((error: unknown) => {
      if ((error as { code?: string }).code === 'E_NOT_FOUND') return undefined;
      throw error;
    });
  return {
    async getCall(callId) {
      const call = await stores.crm.calls.get(callId);
      return call ? { id: call.id, properties: call.properties } : undefined;
    },
    getOwner: (ownerId) =>
      /^\d+$/.test(ownerId) ? orUndefined(stores.owners.get(ownerId)) : Promise.resolve(undefined),
    async getContactOfCall(callId) {
      const call = await stores.crm.calls.get(callId);
      const contactId = call?.associations.contacts[0];
      if (!contactId) return undefined;
      const contact = await orUndefined(stores.crm.objects.get('contacts', contactId));
      return contact ? { id: contact.id, properties: contact.properties } : undefined;
    },
    async getRecordingUrlTemplate(appId) {
      if (!/^\d+$/.test(appId)) return undefined;
      return (await stores.crm.settings.findRecording(Number(appId)))?.urlToRetrieveAuthedRecording;
    },
    async findGeneratedTranscript(callId) {
      const all = await stores.crm.transcripts.listForCall(callId);
      return all.find((t) => t.transcriptSource === 'HUBSPOT_GENERATED')?.id;
    },
    async storeGeneratedTranscript(callId, utterances) {
      const { transcript } = await stores.crm.transcripts.create({
        engagementId: callId,
        source: 'HUBSPOT_GENERATED',
        utterances,
      });
      return transcript.id;
    },
  };
}
