/**
 * Calls for the rest of callscribe (the transcription pipeline, the UI), without HTTP: a call
 * with its properties and associated record ids, and property updates that go through the same
 * validation and events as the API.
 */
import type { Database } from '../../storage/db/index.js';
import { listAssociations } from '../associations/association-store.js';
import type { CrmObject } from '../objects/object-rows.js';
import type { ObjectInput, ObjectStore } from '../objects/object-store.js';
import type { ObjectType } from '../objects/object-types.js';

/** A call and the ids of the records it is associated with, by object type. */
export interface CallWithAssociations extends CrmObject {
  associations: Record<Exclude<ObjectType, 'calls'>, string[]>;
}

const TARGETS = ['contacts', 'companies', 'deals', 'tickets'] as const;

export function createCallStore(db: Database, objects: ObjectStore) {
  return {
    /** The live call with its associations, or undefined when it does not exist or is archived. */
    async get(callId: string): Promise<CallWithAssociations | undefined> {
      if (!/^\d+$/.test(callId)) return undefined;
      const found = await objects.getMany('calls', [callId]);
      const call = found.found[0];
      if (!call) return undefined;
      const associations = {
        contacts: [],
        companies: [],
        deals: [],
        tickets: [],
      } as CallWithAssociations['associations'];
      for (const type of TARGETS) {
        const byCall = await listAssociations(db, [Number(call.id)], type);
        associations[type] = (byCall.get(Number(call.id)) ?? []).map((r) => String(r.toObjectId));
      }
      return { ...call, associations };
    },

    /** Creates a call exactly as `POST /crm/v3/objects/calls` does (validation, events). */
    create(input: ObjectInput): Promise<CrmObject> {
      return objects.create('calls', input);
    },

    /** Updates writable properties (`""`/null clears); emits `call.updated`. */
    updateProperties(callId: string, properties: Record<string, string | number | boolean | null>) {
      return objects.update('calls', callId, properties);
    },
  };
}

export type CallStore = ReturnType<typeof createCallStore>;
