import type { Migration } from './index.js';

/**
 * The HubSpot-compatible CRM: records of every object type (calls, contacts, companies, deals,
 * tickets) with their properties as JSON, associations stored in both directions, user-defined
 * association labels, calling-extension and recording settings per app, recording-ready marks
 * and transcripts.
 */
export const m002Crm: Migration = {
  id: 2,
  name: 'crm',
  sql: `
CREATE SEQUENCE crm_object_ids START WITH 17591596001;

CREATE TABLE crm_objects (
  id bigint PRIMARY KEY DEFAULT nextval('crm_object_ids'),
  object_type text NOT NULL CHECK (object_type IN ('calls', 'contacts', 'companies', 'deals', 'tickets')),
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  archived boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE crm_object_ids OWNED BY crm_objects.id;
CREATE INDEX crm_objects_listing ON crm_objects (object_type, archived, id);
-- HubSpot answers a second contact with the same email with 409 CONFLICT.
CREATE UNIQUE INDEX crm_contacts_email ON crm_objects (lower(properties->>'email'))
  WHERE object_type = 'contacts' AND NOT archived AND properties ? 'email';

-- User-defined association labels; HubSpot-defined types live in code (association-types.ts).
CREATE TABLE crm_association_labels (
  type_id integer PRIMARY KEY,
  from_type text NOT NULL,
  to_type text NOT NULL,
  name text NOT NULL,
  label text NOT NULL,
  inverse_type_id integer NOT NULL
);
CREATE SEQUENCE crm_association_label_ids START WITH 100001;

-- One row per direction: call→contact 194 is stored with its inverse contact→call 193.
CREATE TABLE crm_associations (
  from_type text NOT NULL,
  from_id bigint NOT NULL REFERENCES crm_objects (id) ON DELETE CASCADE,
  to_type text NOT NULL,
  to_id bigint NOT NULL REFERENCES crm_objects (id) ON DELETE CASCADE,
  category text NOT NULL CHECK (category IN ('HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED')),
  type_id integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (from_id, to_type, to_id, category, type_id)
);
CREATE INDEX crm_associations_reverse ON crm_associations (to_id);

CREATE TABLE calling_settings (
  app_id bigint PRIMARY KEY,
  settings jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recording_settings (
  app_id bigint PRIMARY KEY,
  url_to_retrieve_authed_recording text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every POST /crm/v3/extensions/calling/recordings/ready, in order; the pipeline acts on them.
CREATE TABLE recording_ready_marks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  engagement_id bigint NOT NULL REFERENCES crm_objects (id) ON DELETE CASCADE,
  marked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recording_ready_marks_call ON recording_ready_marks (engagement_id);

CREATE TABLE transcripts (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 880000001) PRIMARY KEY,
  engagement_id bigint NOT NULL REFERENCES crm_objects (id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('HUBSPOT_GENERATED', 'INTEGRATOR_GENERATED')),
  utterances jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transcripts_call ON transcripts (engagement_id);
-- callscribe's own transcription writes at most one transcript per call (idempotent retries).
CREATE UNIQUE INDEX transcripts_one_generated_per_call ON transcripts (engagement_id)
  WHERE source = 'HUBSPOT_GENERATED';
`,
};
