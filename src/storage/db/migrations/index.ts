/**
 * Numbered migrations, applied in order at start-up by `migrate()`. Never edit one that has
 * shipped: add the next number. Each is plain PostgreSQL, which PGlite runs unchanged.
 */
import { m001Foundation } from './001-foundation.js';
import { m002Crm } from './002-crm.js';
import { m003Recordings } from './003-recordings.js';
import { m004Pipeline } from './004-pipeline.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m001Foundation, m002Crm, m003Recordings, m004Pipeline];
