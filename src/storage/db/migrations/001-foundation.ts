import type { Migration } from './index.js';

/** Access tokens (stored as SHA-256 hashes) and owners with their seats. */
export const m001Foundation: Migration = {
  id: 1,
  name: 'foundation',
  sql: `
CREATE TABLE access_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL DEFAULT '',
  kind text NOT NULL DEFAULT 'private_app' CHECK (kind IN ('private_app', 'developer_api_key', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

CREATE TABLE owners (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 41000001) PRIMARY KEY,
  email text NOT NULL,
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  user_id bigint GENERATED ALWAYS AS IDENTITY (START WITH 9100001),
  seat text NOT NULL DEFAULT 'none' CHECK (seat IN ('sales', 'service', 'core', 'none')),
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX owners_email_active ON owners (lower(email)) WHERE NOT archived;
`,
};
