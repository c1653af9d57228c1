/**
 * The CRM object types callscribe serves, with HubSpot's names, type ids (`0-48` for calls) and
 * the properties each returns when a request names none (reference §5.1, §7).
 */
import { AppError } from '../../core/errors.js';

export const OBJECT_TYPES = ['calls', 'contacts', 'companies', 'deals', 'tickets'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

interface ObjectTypeInfo {
  typeId: string;
  singular: string;
  /** Returned when the request has no `properties` parameter. */
  defaultProperties: readonly string[];
  /** Always returned alongside requested properties. */
  systemProperties: readonly string[];
  /** Searched by a free-text `query`. */
  queryProperties: readonly string[];
}

const HS_SYSTEM = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] as const;

export const OBJECT_TYPE_INFO: Record<ObjectType, ObjectTypeInfo> = {
  calls: {
    typeId: '0-48',
    singular: 'call',
    defaultProperties: HS_SYSTEM,
    systemProperties: HS_SYSTEM,
    queryProperties: ['hs_call_title', 'hs_body_preview'],
  },
  contacts: {
    typeId: '0-1',
    singular: 'contact',
    defaultProperties: ['email', 'firstname', 'lastname', 'createdate', 'lastmodifieddate', 'hs_object_id'],
    systemProperties: ['createdate', 'lastmodifieddate', 'hs_object_id'],
    queryProperties: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company'],
  },
  companies: {
    typeId: '0-2',
    singular: 'company',
    defaultProperties: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    systemProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    queryProperties: ['name', 'domain', 'phone', 'website'],
  },
  deals: {
    typeId: '0-3',
    singular: 'deal',
    defaultProperties: [
      'dealname',
      'dealstage',
      'pipeline',
      'amount',
      'closedate',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
    ],
    systemProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    queryProperties: ['dealname'],
  },
  tickets: {
    typeId: '0-5',
    singular: 'ticket',
    defaultProperties: [
      'subject',
      'hs_pipeline_stage',
      'hs_pipeline',
      'content',
      'hs_ticket_category',
      'hs_ticket_priority',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
    ],
    systemProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    queryProperties: ['subject', 'content'],
  },
};

/** The property names holding creation and modification time for a type. */
export function timestampProperties(type: ObjectType): { created: string; modified: string } {
  if (type === 'calls') return { created: 'hs_createdate', modified: 'hs_lastmodifieddate' };
  if (type === 'contacts') return { created: 'createdate', modified: 'lastmodifieddate' };
  return { created: 'createdate', modified: 'hs_lastmodifieddate' };
}

const ALIASES = new Map<string, ObjectType>();
for (const type of OBJECT_TYPES) {
  const info = OBJECT_TYPE_INFO[type];
  ALIASES.set(type, type);
  ALIASES.set(info.singular, type);
  ALIASES.set(info.typeId, type);
}

/** `calls`, `call` and `0-48` all name calls (HubSpot accepts names and type ids in paths). */
export function findObjectType(raw: string): ObjectType | undefined {
  return ALIASES.get(raw.toLowerCase());
}

/** Like {@link findObjectType}, but an unknown name is a 400 in HubSpot's shape. */
export function parseObjectType(raw: string): ObjectType {
  const type = findObjectType(raw);
  if (!type) {
    throw new AppError('E_VALIDATION', `Unable to infer object type from: ${raw}`, {
      details: [
        {
          message: `Unknown object type ${raw}; callscribe serves ${OBJECT_TYPES.join(', ')}.`,
          code: 'INVALID_OBJECT_TYPE',
          context: { objectType: [raw] },
        },
      ],
    });
  }
  return type;
}
