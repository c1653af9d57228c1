import type { Migration } from './index.js';

/**
 * The calling-app backend's recordings: one row per (external account, external id), pointing at
 * a blob. The row is written only after the blob is complete, so a row always names whole bytes.
 */
export const m003Recordings: Migration = {
  id: 3,
  name: 'recordings',
  sql: `
CREATE TABLE app_recordings (
  external_account_id text NOT NULL,
  external_id text NOT NULL,
  app_id text NOT NULL,
  blob_key text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  etag text NOT NULL,
  content_type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (external_account_id, external_id)
);
CREATE INDEX app_recordings_external_id ON app_recordings (external_id);
`,
};
