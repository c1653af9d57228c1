/**
 * HubSpot-defined association types (reference §6): the default ids in both directions, their
 * names (`call_to_contact`) and labels (`Primary`). User-defined labels live in the database.
 */
import type { ObjectType } from '../objects/object-types.js';

export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

export interface AssociationType {
  category: AssociationCategory;
  typeId: number;
  from: ObjectType;
  to: ObjectType;
  /** v3 name, e.g. `call_to_contact`. */
  name: string;
  /** v4 label: null for the unlabelled default. */
  label: string | null;
  inverseTypeId: number;
  /** The unlabelled type a pair gets by default. */
  isDefault: boolean;
}

type Row = [from: ObjectType, to: ObjectType, id: number, reverseId: number, label: string | null];

// [from, to, id, reverse id, label]; the first row of a pair is its default (unlabelled) type.
const ROWS: Row[] = [
  ['calls', 'contacts', 194, 193, null],
  ['calls', 'companies', 182, 181, null],
  ['calls', 'deals', 206, 205, null],
  ['calls', 'tickets', 220, 219, null],
  ['contacts', 'companies', 279, 280, null],
  ['contacts', 'companies', 1, 2, 'Primary'],
  ['deals', 'contacts', 3, 4, null],
  ['deals', 'companies', 341, 342, null],
  ['deals', 'companies', 5, 6, 'Primary'],
  ['tickets', 'contacts', 16, 15, null],
  ['tickets', 'companies', 339, 340, null],
  ['tickets', 'companies', 26, 25, 'Primary'],
  ['deals', 'tickets', 27, 28, null],
];

const SINGULAR: Record<ObjectType, string> = {
  calls: 'call',
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
};

function typeName(from: ObjectType, to: ObjectType, label: string | null, unlabelledHasPrimary: boolean) {
  const base = `${SINGULAR[from]}_to_${SINGULAR[to]}`;
  // HubSpot names the primary type `contact_to_company` and the plain one `…_unlabeled`.
  if (label === null && unlabelledHasPrimary) return `${base}_unlabeled`;
  return base;
}

const BY_ID = new Map<number, AssociationType>();
for (const [from, to, id, reverseId, label] of ROWS) {
  const hasPrimary = ROWS.some((r) => r[0] === from && r[1] === to && r[4] !== null);
  const isDefault = label === null;
  BY_ID.set(id, {
    category: 'HUBSPOT_DEFINED',
    typeId: id,
    from,
    to,
    name: typeName(from, to, label, hasPrimary),
    label,
    inverseTypeId: reverseId,
    isDefault,
  });
  BY_ID.set(reverseId, {
    category: 'HUBSPOT_DEFINED',
    typeId: reverseId,
    from: to,
    to: from,
    name: typeName(to, from, label, hasPrimary),
    label,
    inverseTypeId: id,
    isDefault,
  });
}

/** A HubSpot-defined type by id. */
export function hubspotDefinedType(typeId: number): AssociationType | undefined {
  return BY_ID.get(typeId);
}

/** A HubSpot-defined type by v3 name (`call_to_contact`). */
export function hubspotDefinedTypeByName(name: string): AssociationType | undefined {
  for (const type of BY_ID.values()) if (type.name === name.toLowerCase()) return type;
  return undefined;
}

/** The HubSpot-defined types from one object type to another. */
export function hubspotDefinedTypes(from: ObjectType, to: ObjectType): AssociationType[] {
  return [...BY_ID.values()].filter((t) => t.from === from && t.to === to);
}

/** The unlabelled default type of a pair, or undefined when HubSpot defines none. */
export function defaultType(from: ObjectType, to: ObjectType): AssociationType | undefined {
  return hubspotDefinedTypes(from, to).find((t) => t.isDefault);
}
