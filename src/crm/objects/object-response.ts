/**
 * Records in HubSpot's response shape (`SimplePublicObject…`, reference §1): string properties,
 * requested-but-unset ones as null, optional `propertiesWithHistory` and `associations`.
 */
import type { Queryable } from '../../storage/db/index.js';
import { listAssociations } from '../associations/association-store.js';
import type { CrmObject } from './object-rows.js';
import { OBJECT_TYPE_INFO, type ObjectType, parseObjectType } from './object-types.js';

export interface ResponseShape {
  /** Requested properties; undefined selects the type's defaults; 'all' returns every stored one. */
  properties?: string[] | 'all';
  propertiesWithHistory?: string[];
}

export interface PublicObject {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, { value: string; timestamp: string; sourceType: string }[]>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

export function toPublicObject(object: CrmObject, shape: ResponseShape = {}): PublicObject {
  const info = OBJECT_TYPE_INFO[object.objectType];
  let properties: Record<string, string | null>;
  if (shape.properties === 'all') properties = { ...object.properties };
  else {
    const names =
      shape.properties === undefined
        ? info.defaultProperties
        : [...new Set([...shape.properties, ...info.systemProperties])];
    properties = {};
    for (const name of names) properties[name] = object.properties[name] ?? null;
  }
  const result: PublicObject = {
    id: object.id,
    properties,
    createdAt: object.createdAt,
    updatedAt: object.updatedAt,
    archived: object.archived,
    ...(object.archivedAt ? { archivedAt: object.archivedAt } : {}),
  };
  if (shape.propertiesWithHistory && shape.propertiesWithHistory.length > 0) {
    result.propertiesWithHistory = {};
    for (const name of shape.propertiesWithHistory) {
      const value = object.properties[name];
      result.propertiesWithHistory[name] =
        value === undefined ? [] : [{ value, timestamp: object.updatedAt, sourceType: 'API' }];
    }
  }
  return result;
}

/** Adds `associations` for the requested target types to already-shaped records. */
export async function withAssociations(
  q: Queryable,
  objects: PublicObject[],
  toTypes: string[] | undefined,
): Promise<PublicObject[]> {
  if (!toTypes || toTypes.length === 0 || objects.length === 0) return objects;
  const ids = objects.map((o) => Number(o.id));
  for (const toType of new Set(toTypes.map(parseObjectType))) {
    const byObject = await listAssociations(q, ids, toType as ObjectType);
    for (const object of objects) {
      const records = byObject.get(Number(object.id)) ?? [];
      const results = records.flatMap((r) =>
        r.types.map((t) => ({ id: String(r.toObjectId), type: t.name })),
      );
      if (results.length === 0) continue;
      object.associations ??= {};
      object.associations[toType] = { results };
    }
  }
  return objects;
}
