/**
 * Associations between CRM records, stored once per direction so every read is one indexed
 * lookup: associating a call with a contact (194) also stores contact→call (193). Every write
 * takes a `Queryable`, so it can join the transaction of the record write it belongs to.
 */
import { AppError, invalid } from '../../core/errors.js';
import type { Queryable } from '../../storage/db/index.js';
import { OBJECT_TYPE_INFO, type ObjectType } from '../objects/object-types.js';
import {
  type AssociationCategory,
  type AssociationType,
  defaultType,
  hubspotDefinedType,
  hubspotDefinedTypes,
} from './association-types.js';

/** One associated record and the types linking it, as v4 lists them. */
export interface AssociatedRecord {
  toObjectId: number;
  types: AssociationType[];
}

/** An association spec as HubSpot sends it (`associationCategory`, `associationTypeId`). */
export interface AssociationSpec {
  associationCategory?: unknown;
  associationTypeId?: unknown;
}

interface LabelRow {
  type_id: number;
  from_type: ObjectType;
  to_type: ObjectType;
  name: string;
  label: string;
  inverse_type_id: number;
}

function labelType(row: LabelRow): AssociationType {
  return {
    category: 'USER_DEFINED',
    typeId: row.type_id,
    from: row.from_type,
    to: row.to_type,
    name: row.name,
    label: row.label,
    inverseTypeId: row.inverse_type_id,
    isDefault: false,
  };
}

function badType(message: string): AppError {
  return new AppError('E_VALIDATION', message, {
    details: [{ message, code: 'INVALID_ASSOCIATION_TYPE' }],
  });
}

/** Looks up an association type by id, HubSpot-defined or user-defined. */
export async function findAssociationType(
  q: Queryable,
  typeId: number,
): Promise<AssociationType | undefined> {
  const builtIn = hubspotDefinedType(typeId);
  if (builtIn) return builtIn;
  const rows = await q.query<LabelRow>('SELECT * FROM crm_association_labels WHERE type_id = $1', [typeId]);
  return rows[0] ? labelType(rows[0]) : undefined;
}

/**
 * Resolves a spec to a type going from `from`; `to` may be unknown (inline associations on create
 * name only the target id, so the type id decides the target's object type).
 */
export async function resolveAssociationSpec(
  q: Queryable,
  from: ObjectType,
  to: ObjectType | undefined,
  spec: AssociationSpec,
): Promise<AssociationType> {
  if (typeof spec !== 'object' || spec === null) {
    throw badType('Each association type must be { associationCategory, associationTypeId }.');
  }
  const typeId = Number(spec.associationTypeId);
  if (!Number.isInteger(typeId)) throw badType(`associationTypeId must be a whole number.`);
  const category = spec.associationCategory ?? 'HUBSPOT_DEFINED';
  const type = await findAssociationType(q, typeId);
  const target = to ? ` to ${to}` : '';
  if (!type || type.from !== from || (to && type.to !== to)) {
    throw badType(`${typeId} is not a valid association type from ${from}${target}.`);
  }
  if (
    category !== type.category &&
    !(category === 'INTEGRATOR_DEFINED' && type.category === 'USER_DEFINED')
  ) {
    throw badType(`Association type ${typeId} is ${type.category}, not ${String(category)}.`);
  }
  return type;
}

/** The default (unlabelled) type of a pair, or a 400 when HubSpot defines no association. */
export function requireDefaultType(from: ObjectType, to: ObjectType): AssociationType {
  const type = defaultType(from, to);
  if (!type) throw badType(`${from} cannot be associated with ${to}.`);
  return type;
}

/** Checks that a record exists, is live and has the given type; 404 otherwise. */
export async function requireRecord(q: Queryable, type: ObjectType, id: string | number): Promise<number> {
  const numeric = Number(id);
  if (!/^\d+$/.test(String(id)) || !Number.isSafeInteger(numeric)) {
    throw invalid(`${String(id)} is not a valid ${OBJECT_TYPE_INFO[type].singular} id.`, 'id');
  }
  const rows = await q.query(
    'SELECT 1 FROM crm_objects WHERE id = $1 AND object_type = $2 AND NOT archived',
    [numeric, type],
  );
  if (rows.length === 0) {
    const what = OBJECT_TYPE_INFO[type].singular;
    throw new AppError('E_NOT_FOUND', `No ${what} with id ${String(id)} exists.`, {
      details: [
        {
          message: `No ${what} with id ${String(id)} exists.`,
          code: 'OBJECT_NOT_FOUND',
          context: { id: [String(id)] },
        },
      ],
    });
  }
  return numeric;
}

/** Stores associations of the given types in both directions; existing ones are kept. */
export async function associate(
  q: Queryable,
  from: { type: ObjectType; id: number },
  to: { type: ObjectType; id: number },
  types: readonly AssociationType[],
): Promise<void> {
  for (const type of types) {
    await q.query(
      `INSERT INTO crm_associations (from_type, from_id, to_type, to_id, category, type_id)
       VALUES ($1, $2, $3, $4, $5, $6), ($3, $4, $1, $2, $5, $7) ON CONFLICT DO NOTHING`,
      [from.type, from.id, to.type, to.id, type.category, type.typeId, type.inverseTypeId],
    );
  }
}

/** Removes the given types (or, with none, every association) between two records, both ways. */
export async function dissociate(
  q: Queryable,
  fromId: number,
  toId: number,
  types?: readonly AssociationType[],
): Promise<void> {
  if (!types) {
    await q.query(
      'DELETE FROM crm_associations WHERE (from_id = $1 AND to_id = $2) OR (from_id = $2 AND to_id = $1)',
      [fromId, toId],
    );
    return;
  }
  for (const type of types) {
    await q.query(
      `DELETE FROM crm_associations WHERE (from_id = $1 AND to_id = $2 AND type_id = $3 AND category = $5)
         OR (from_id = $2 AND to_id = $1 AND type_id = $4 AND category = $5)`,
      [fromId, toId, type.typeId, type.inverseTypeId, type.category],
    );
  }
}

interface AssociationRow {
  from_id: number;
  to_id: number;
  category: AssociationCategory;
  type_id: number;
}

async function describe(
  q: Queryable,
  rows: AssociationRow[],
): Promise<Map<number, Map<number, AssociationType[]>>> {
  const result = new Map<number, Map<number, AssociationType[]>>();
  const userIds = [...new Set(rows.filter((r) => r.category !== 'HUBSPOT_DEFINED').map((r) => r.type_id))];
  const labels = new Map<number, AssociationType>();
  if (userIds.length > 0) {
    const labelRows = await q.query<LabelRow>(
      'SELECT * FROM crm_association_labels WHERE type_id = ANY($1)',
      [userIds],
    );
    for (const row of labelRows) labels.set(row.type_id, labelType(row));
  }
  for (const row of rows) {
    const type =
      row.category === 'HUBSPOT_DEFINED' ? hubspotDefinedType(row.type_id) : labels.get(row.type_id);
    if (!type) continue;
    let byTarget = result.get(row.from_id);
    if (!byTarget) {
      byTarget = new Map();
      result.set(row.from_id, byTarget);
    }
    const list = byTarget.get(row.to_id) ?? [];
    list.push(row.category === type.category ? type : { ...type, category: row.category });
    byTarget.set(row.to_id, list);
  }
  return result;
}

/** The live records of `toType` associated with each of `fromIds`, in ascending id order. */
export async function listAssociations(
  q: Queryable,
  fromIds: readonly number[],
  toType: ObjectType,
  page: { after?: number; limit?: number } = {},
): Promise<Map<number, AssociatedRecord[]>> {
  if (fromIds.length === 0) return new Map();
  const rows = await q.query<AssociationRow>(
    `SELECT a.from_id, a.to_id, a.category, a.type_id FROM crm_associations a
     JOIN crm_objects o ON o.id = a.to_id AND NOT o.archived
     WHERE a.from_id = ANY($1) AND a.to_type = $2 AND a.to_id > $3
     ORDER BY a.from_id, a.to_id, a.type_id`,
    [fromIds, toType, page.after ?? 0],
  );
  const described = await describe(q, rows);
  const result = new Map<number, AssociatedRecord[]>();
  for (const [fromId, byTarget] of described) {
    let records = [...byTarget].map(([toObjectId, types]) => ({ toObjectId, types }));
    if (page.limit !== undefined) records = records.slice(0, page.limit + 1);
    result.set(fromId, records);
  }
  return result;
}

/** User-defined labels of a pair plus HubSpot's own types (`GET …/labels`). */
export async function listAssociationTypes(q: Queryable, from: ObjectType, to: ObjectType) {
  const rows = await q.query<LabelRow>(
    'SELECT * FROM crm_association_labels WHERE from_type = $1 AND to_type = $2 ORDER BY type_id',
    [from, to],
  );
  return [...hubspotDefinedTypes(from, to), ...rows.map(labelType)];
}

/** Creates a user-defined label and its inverse; returns both types. */
export async function createAssociationLabel(
  q: Queryable,
  from: ObjectType,
  to: ObjectType,
  input: { name: string; label: string; inverseLabel?: string },
): Promise<AssociationType[]> {
  const [ids] = await q.query<{ a: number; b: number }>(
    "SELECT nextval('crm_association_label_ids') AS a, nextval('crm_association_label_ids') AS b",
  );
  const { a, b } = ids!;
  await q.query(
    `INSERT INTO crm_association_labels (type_id, from_type, to_type, name, label, inverse_type_id)
     VALUES ($1, $3, $4, $5, $6, $2), ($2, $4, $3, $7, $8, $1)`,
    [a, b, from, to, input.name, input.label, `${input.name}_inverse`, input.inverseLabel ?? input.label],
  );
  const rows = await q.query<LabelRow>(
    'SELECT * FROM crm_association_labels WHERE type_id = ANY($1) ORDER BY type_id',
    [[a, b]],
  );
  return rows.map(labelType);
}

/** Renames a user-defined label (and its inverse's label when given). */
export async function updateAssociationLabel(
  q: Queryable,
  from: ObjectType,
  to: ObjectType,
  input: { typeId: number; label: string; inverseLabel?: string },
): Promise<void> {
  const rows = await q.query<LabelRow>(
    'UPDATE crm_association_labels SET label = $4 WHERE type_id = $1 AND from_type = $2 AND to_type = $3 RETURNING *',
    [input.typeId, from, to, input.label],
  );
  if (!rows[0]) throw badType(`${input.typeId} is not a user-defined label from ${from} to ${to}.`);
  if (input.inverseLabel !== undefined) {
    await q.query('UPDATE crm_association_labels SET label = $2 WHERE type_id = $1', [
      rows[0].inverse_type_id,
      input.inverseLabel,
    ]);
  }
}

/** Deletes a user-defined label, its inverse and every association that used them. */
export async function deleteAssociationLabel(
  q: Queryable,
  from: ObjectType,
  to: ObjectType,
  typeId: number,
): Promise<void> {
  const rows = await q.query<LabelRow>(
    'DELETE FROM crm_association_labels WHERE type_id = $1 AND from_type = $2 AND to_type = $3 RETURNING *',
    [typeId, from, to],
  );
  if (!rows[0]) throw badType(`${typeId} is not a user-defined label from ${from} to ${to}.`);
  await q.query('DELETE FROM crm_association_labels WHERE type_id = $1', [rows[0].inverse_type_id]);
  await q.query("DELETE FROM crm_associations WHERE category <> 'HUBSPOT_DEFINED' AND type_id = ANY($1)", [
    [typeId, rows[0].inverse_type_id],
  ]);
}
