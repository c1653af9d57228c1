/**
 * The property definitions of every object type: the one table that both validates writes and
 * answers `GET /crm/v3/properties/{objectType}`, so the two can never disagree (reference §5.2, §7).
 */
import type { ObjectType } from '../objects/object-types.js';

export type PropertyType = 'string' | 'number' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  /** Written by callscribe only; silently ignored on update, rejected on create. */
  readOnly?: boolean;
  /** Required on create. */
  required?: boolean;
  /** Filled in on create when absent. */
  defaultValue?: string;
  /** Extra string format check. */
  format?: 'email' | 'url';
  /** The value must be the id of an existing owner. */
  referencesOwner?: boolean;
  /** Unique per object type: usable as `idProperty`. */
  unique?: boolean;
}

type Def = Omit<PropertyDefinition, 'description' | 'groupName' | 'options' | 'fieldType'> &
  Partial<Pick<PropertyDefinition, 'description' | 'groupName' | 'options' | 'fieldType'>>;

const FIELD_TYPES: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

const options = (...values: (string | [string, string])[]): PropertyOption[] =>
  values.map((v) =>
    Array.isArray(v)
      ? { value: v[0], label: v[1] }
      : { value: v, label: v.charAt(0) + v.slice(1).toLowerCase().replace(/_/g, ' ') },
  );

const BOOL_OPTIONS = [
  { label: 'True', value: 'true' },
  { label: 'False', value: 'false' },
];

const str = (name: string, label: string, extra: Partial<Def> = {}): Def => ({
  name,
  label,
  type: 'string',
  ...extra,
});
const num = (name: string, label: string, extra: Partial<Def> = {}): Def => ({
  name,
  label,
  type: 'number',
  ...extra,
});
const date = (name: string, label: string, extra: Partial<Def> = {}): Def => ({
  name,
  label,
  type: 'datetime',
  ...extra,
});
const bool = (name: string, label: string, extra: Partial<Def> = {}): Def => ({
  name,
  label,
  type: 'bool',
  options: BOOL_OPTIONS,
  ...extra,
});
const enumeration = (name: string, label: string, opts: PropertyOption[], extra: Partial<Def> = {}): Def => ({
  name,
  label,
  type: 'enumeration',
  options: opts,
  ...extra,
});
const owner = (): Def => ({
  name: 'hubspot_owner_id',
  label: 'Owner',
  type: 'enumeration',
  referencesOwner: true,
  description: 'The id of an owner from /crm/v3/owners.',
});

/** HubSpot's default call outcomes (`hs_call_disposition`). */
export const CALL_DISPOSITIONS: PropertyOption[] = [
  { value: '9d9162e7-6cf3-4944-bf63-4dff82258764', label: 'Busy' },
  { value: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
  { value: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', label: 'Left live message' },
  { value: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail' },
  { value: '73a0d17f-1163-4015-bdd5-ec830791da20', label: 'No answer' },
  { value: '17b47fee-58de-441e-a44c-c6300d46f273', label: 'Wrong number' },
];

const CALL: Def[] = [
  date('hs_timestamp', 'Activity date', { required: true }),
  str('hs_call_title', 'Call title'),
  str('hs_call_body', 'Call notes', { fieldType: 'html' }),
  num('hs_call_duration', 'Call duration (ms)'),
  enumeration('hs_call_direction', 'Call direction', options('INBOUND', 'OUTBOUND')),
  enumeration(
    'hs_call_status',
    'Call status',
    options(
      'BUSY',
      'CALLING_CRM_USER',
      'CANCELED',
      'COMPLETED',
      'CONNECTING',
      'FAILED',
      'IN_PROGRESS',
      'MISSED',
      'NO_ANSWER',
      'QUEUED',
      'RINGING',
      'HOLD',
      'UNKNOWN',
    ),
  ),
  enumeration('hs_call_disposition', 'Call outcome', CALL_DISPOSITIONS),
  str('hs_call_from_number', 'From number', { fieldType: 'phonenumber' }),
  str('hs_call_to_number', 'To number', { fieldType: 'phonenumber' }),
  str('hs_call_recording_url', 'Recording URL', { format: 'url' }),
  str('hs_call_video_recording_url', 'Video recording URL', { format: 'url' }),
  num('hs_call_recording_duration', 'Recording duration (ms)'),
  enumeration('hs_call_source', 'Call source', options(['INTEGRATIONS_PLATFORM', 'Integrations platform'])),
  str('hs_call_external_id', 'External call id'),
  str('hs_call_external_account_id', 'External account id'),
  str('hs_call_app_id', 'Calling app id'),
  str('hs_call_callee_object_id', 'Callee object id'),
  str('hs_call_callee_object_type', 'Callee object type'),
  str('hs_call_callee_object_type_id', 'Callee object type id'),
  bool('hs_call_has_voicemail', 'Has voicemail'),
  bool('hs_call_has_transcript', 'Has transcript', { readOnly: true }),
  str('hs_call_transcription_id', 'Transcription id', { readOnly: true }),
  str('hs_call_summary', 'Call summary', { fieldType: 'textarea' }),
  str('hs_activity_type', 'Call and meeting type'),
  str('hs_attachment_ids', 'Attachment ids'),
  owner(),
  str('hs_body_preview', 'Body preview', { readOnly: true }),
  str('hs_object_id', 'Record ID', { readOnly: true, unique: true }),
  date('hs_createdate', 'Create date', { readOnly: true }),
  date('hs_lastmodifieddate', 'Last modified date', { readOnly: true }),
];

const CONTACT: Def[] = [
  str('email', 'Email', { format: 'email', unique: true }),
  str('firstname', 'First name'),
  str('lastname', 'Last name'),
  str('phone', 'Phone number', { fieldType: 'phonenumber' }),
  str('mobilephone', 'Mobile phone number', { fieldType: 'phonenumber' }),
  str('company', 'Company name'),
  str('jobtitle', 'Job title'),
  str('website', 'Website URL'),
  str('city', 'City'),
  str('country', 'Country/Region'),
  enumeration(
    'lifecyclestage',
    'Lifecycle stage',
    options('subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'),
  ),
  owner(),
  str('hs_object_id', 'Record ID', { readOnly: true, unique: true }),
  date('createdate', 'Create date', { readOnly: true }),
  date('lastmodifieddate', 'Last modified date', { readOnly: true }),
];

const COMPANY: Def[] = [
  str('name', 'Company name'),
  str('domain', 'Company domain name'),
  str('phone', 'Phone number', { fieldType: 'phonenumber' }),
  str('website', 'Website URL'),
  str('city', 'City'),
  str('country', 'Country/Region'),
  str('industry', 'Industry'),
  num('numberofemployees', 'Number of employees'),
  owner(),
  str('hs_object_id', 'Record ID', { readOnly: true, unique: true }),
  date('createdate', 'Create date', { readOnly: true }),
  date('hs_lastmodifieddate', 'Last modified date', { readOnly: true }),
];

const DEAL: Def[] = [
  str('dealname', 'Deal name', { required: true }),
  enumeration(
    'dealstage',
    'Deal stage',
    options(
      ['appointmentscheduled', 'Appointment scheduled'],
      ['qualifiedtobuy', 'Qualified to buy'],
      ['presentationscheduled', 'Presentation scheduled'],
      ['decisionmakerboughtin', 'Decision maker bought-in'],
      ['contractsent', 'Contract sent'],
      ['closedwon', 'Closed won'],
      ['closedlost', 'Closed lost'],
    ),
    { required: true },
  ),
  enumeration('pipeline', 'Pipeline', options(['default', 'Sales pipeline']), { defaultValue: 'default' }),
  num('amount', 'Amount'),
  date('closedate', 'Close date'),
  owner(),
  str('hs_object_id', 'Record ID', { readOnly: true, unique: true }),
  date('createdate', 'Create date', { readOnly: true }),
  date('hs_lastmodifieddate', 'Last modified date', { readOnly: true }),
];

const TICKET: Def[] = [
  str('subject', 'Ticket name', { required: true }),
  str('content', 'Ticket description', { fieldType: 'textarea' }),
  enumeration('hs_pipeline', 'Pipeline', options(['0', 'Support pipeline']), { defaultValue: '0' }),
  enumeration(
    'hs_pipeline_stage',
    'Ticket status',
    options(['1', 'New'], ['2', 'Waiting on contact'], ['3', 'Waiting on us'], ['4', 'Closed']),
    { required: true },
  ),
  enumeration('hs_ticket_priority', 'Priority', options('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
  enumeration(
    'hs_ticket_category',
    'Category',
    options('PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY'),
  ),
  owner(),
  str('hs_object_id', 'Record ID', { readOnly: true, unique: true }),
  date('createdate', 'Create date', { readOnly: true }),
  date('hs_lastmodifieddate', 'Last modified date', { readOnly: true }),
];

const GROUPS: Record<ObjectType, string> = {
  calls: 'callinformation',
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
  tickets: 'ticketinformation',
};

function complete(type: ObjectType, defs: Def[]): Map<string, PropertyDefinition> {
  return new Map(
    defs.map((d) => [
      d.name,
      {
        description: '',
        groupName: GROUPS[type],
        options: [],
        fieldType: FIELD_TYPES[d.type],
        ...d,
      },
    ]),
  );
}

/** Every property of every object type, by name. */
export const PROPERTY_DEFINITIONS: Record<ObjectType, ReadonlyMap<string, PropertyDefinition>> = {
  calls: complete('calls', CALL),
  contacts: complete('contacts', CONTACT),
  companies: complete('companies', COMPANY),
  deals: complete('deals', DEAL),
  tickets: complete('tickets', TICKET),
};
