/** The `crm_objects` row and the `CrmObject` the stores hand out. */
import type { ObjectType } from './object-types.js';

/** A CRM record: properties are strings, timestamps ISO 8601. */
export interface CrmObject {
  id: string;
  objectType: ObjectType;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface ObjectRow {
  id: number;
  object_type: ObjectType;
  properties: Record<string, string>;
  archived: boolean;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

// Rows served from the record cache are converted once, not on every read.
const converted = new WeakMap<ObjectRow, CrmObject>();

export function toCrmObject(row: ObjectRow): CrmObject {
  const known = converted.get(row);
  if (known) return known;
  const object: CrmObject = {
    id: String(row.id),
    objectType: row.object_type,
    properties: row.properties,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    archived: row.archived,
    ...(row.archived_at ? { archivedAt: row.archived_at.toISOString() } : {}),
  };
  converted.set(row, object);
  return object;
}
