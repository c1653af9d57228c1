/**
 * Checks and normalises property values the way HubSpot does: unknown names are
 * `PROPERTY_DOESNT_EXIST`, enumerations must name an option, numbers must be numbers, datetimes
 * are ISO 8601 or epoch milliseconds. Values are stored and returned as strings (reference §0:
 * the client sends them uncoerced); `""` or `null` clears a value.
 */
import { AppError, type ErrorDetail } from '../../core/errors.js';
import type { ObjectType } from '../objects/object-types.js';
import { PROPERTY_DEFINITIONS, type PropertyDefinition } from './property-definitions.js';

/** Normalised values: a string to set, or null to clear. */
export type PropertyChanges = Record<string, string | null>;

export interface ValidateOptions {
  mode: 'create' | 'update';
  /** Whether an owner id exists (for `hubspot_owner_id`). */
  ownerExists(id: string): Promise<boolean>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a datetime given as epoch ms (number or digits) or ISO 8601; undefined if neither. */
export function parseDateTime(raw: unknown): Date | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? new Date(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (/^-?\d+$/.test(text)) return new Date(Number(text));
  if (!ISO_DATE.test(text)) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function problem(name: string, code: string, message: string): ErrorDetail {
  return { message, code, in: name, context: { propertyName: [name] } };
}

function normalise(def: PropertyDefinition, raw: unknown): string | ErrorDetail {
  const { name } = def;
  if (typeof raw === 'object') {
    return problem(
      name,
      'INVALID_TYPE',
      `${name} must be a string, number or boolean, not ${JSON.stringify(raw)}.`,
    );
  }
  const text = String(raw);
  switch (def.type) {
    case 'number':
      if (!NUMERIC.test(text.trim()))
        return problem(name, 'INVALID_INTEGER', `${text} was not a valid number.`);
      return String(Number(text.trim()));
    case 'datetime': {
      const date = parseDateTime(raw);
      if (!date || Number.isNaN(date.getTime())) {
        return problem(
          name,
          'INVALID_DATE',
          `${text} is not a valid datetime for ${name}: send ISO 8601 (2024-01-17T19:55:04.281Z) or epoch milliseconds.`,
        );
      }
      return date.toISOString();
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') {
        return problem(
          name,
          'INVALID_BOOLEAN',
          `${text} is not a valid boolean for ${name}: use true or false.`,
        );
      }
      return lower;
    }
    case 'enumeration':
      if (!def.referencesOwner && !def.options.some((o) => o.value === text)) {
        return problem(
          name,
          'INVALID_OPTION',
          `${text} was not one of the allowed options for ${name}: ${def.options.map((o) => o.value).join(', ')}`,
        );
      }
      return text;
    default:
      if (def.format === 'email' && !EMAIL.test(text)) {
        return problem(name, 'INVALID_EMAIL', `Email address ${text} is invalid.`);
      }
      if (def.format === 'url' && !/^https?:\/\/\S+$/i.test(text)) {
        return problem(name, 'INVALID_URL', `${text} is not a valid URL for ${name}.`);
      }
      return text;
  }
}

/** The 400 HubSpot answers when property values are not valid. */
export function propertyError(details: ErrorDetail[]): AppError {
  return new AppError(
    'E_VALIDATION',
    `Property values were not valid: ${details.map((d) => d.message).join(' ')}`,
    { details },
  );
}

/**
 * Validates `input` against the definitions of `type` and returns the normalised changes.
 * Throws one 400 listing every problem; read-only properties are ignored on update.
 */
export async function validateProperties(
  type: ObjectType,
  input: unknown,
  options: ValidateOptions,
): Promise<PropertyChanges> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw propertyError([
      problem('properties', 'INVALID_TYPE', 'properties must be an object of name → value.'),
    ]);
  }
  const defs = PROPERTY_DEFINITIONS[type];
  const changes: PropertyChanges = {};
  const details: ErrorDetail[] = [];
  const owners: string[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = defs.get(name);
    if (!def) {
      details.push(problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnly) {
      if (options.mode === 'create' && raw !== undefined && raw !== null && raw !== '') {
        details.push(problem(name, 'READ_ONLY_VALUE', `${name} is a read-only property; it cannot be set.`));
      }
      continue;
    }
    if (raw === undefined) continue;
    if (raw === null || raw === '') {
      changes[name] = null;
      continue;
    }
    const value = normalise(def, raw);
    if (typeof value === 'string') {
      changes[name] = value;
      if (def.referencesOwner) owners.push(value);
    } else details.push(value);
  }
  for (const id of owners) {
    if (!/^\d+$/.test(id) || !(await options.ownerExists(id))) {
      details.push(problem('hubspot_owner_id', 'INVALID_OWNER_ID', `${id} is not a valid owner id.`));
    }
  }
  if (options.mode === 'create') {
    for (const def of defs.values()) {
      // A value given but invalid is already reported; do not also call it missing.
      if (changes[def.name] != null || details.some((d) => d.in === def.name)) continue;
      if (def.defaultValue !== undefined) changes[def.name] = def.defaultValue;
      else if (def.required) {
        details.push(problem(def.name, 'REQUIRED_PROPERTY', `${def.name} is required.`));
      }
    }
  }
  if (details.length > 0) throw propertyError(details);
  return changes;
}
