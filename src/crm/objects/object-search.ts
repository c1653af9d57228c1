/**
 * `POST /crm/v3/objects/{type}/search` (reference §5.1), compiled to one SQL query over the
 * JSON properties: filters ANDed in a group, groups ORed, one sort, offset paging up to 10,000.
 * Values compare by the property's type: numbers numerically, datetimes as instants (filters
 * send epoch ms), strings case-insensitively, enumerations exactly.
 */
import { AppError, invalid } from '../../core/errors.js';
import type { Database } from '../../storage/db/index.js';
import { PROPERTY_DEFINITIONS, type PropertyDefinition } from '../properties/property-definitions.js';
import { parseDateTime } from '../properties/property-validation.js';
import { type ObjectRow, toCrmObject } from './object-rows.js';
import { findObjectType, OBJECT_TYPE_INFO, type ObjectType } from './object-types.js';

const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;
const MAX_RESULTS = 10_000;
const MAX_LIMIT = 200;
const MAX_BODY_CHARS = 3000;

interface Filter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  highValue?: unknown;
  values?: unknown;
}

export interface SearchRequest {
  filterGroups?: unknown;
  sorts?: unknown;
  query?: unknown;
  properties?: unknown;
  limit?: unknown;
  after?: unknown;
}

class Sql {
  readonly params: unknown[] = [];
  add(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

function searchError(message: string): AppError {
  return new AppError('E_VALIDATION', message, { details: [{ message, code: 'INVALID_SEARCH' }] });
}

/** The SQL expression of a property, typed for comparison. */
function column(def: PropertyDefinition | undefined, name: string, sql: Sql): string {
  if (name === 'hs_object_id') return 'id';
  const raw = `(properties->>${sql.add(name)})`;
  if (def?.type === 'number') return `${raw}::numeric`;
  if (def?.type === 'datetime') return `${raw}::timestamptz`;
  if (def?.type === 'enumeration' || def?.type === 'bool') return raw;
  return `lower(${raw})`;
}

/** A filter value converted to what {@link column} compares against. */
function operand(def: PropertyDefinition | undefined, name: string, raw: unknown, sql: Sql): string {
  if (raw === undefined || raw === null) throw searchError(`Filter on ${name} needs a value.`);
  const text = String(raw);
  if (name === 'hs_object_id' || def?.type === 'number') {
    if (!Number.isFinite(Number(text)) || text.trim() === '') {
      throw searchError(`${text} is not a number; ${name} compares numerically.`);
    }
    return `${sql.add(text)}::numeric`;
  }
  if (def?.type === 'datetime') {
    const date = parseDateTime(raw);
    if (!date) throw searchError(`${text} is not a datetime (epoch milliseconds or ISO 8601).`);
    return `${sql.add(date.toISOString())}::timestamptz`;
  }
  if (def?.type === 'enumeration' || def?.type === 'bool') return sql.add(text);
  return `lower(${sql.add(text)})`;
}

function tokenPattern(value: string): string {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '\\S*' : `\\${c}`));
  return `\\m${escaped}\\M`;
}

function compileFilter(type: ObjectType, filter: Filter, sql: Sql): string {
  const name = filter?.propertyName;
  if (typeof name !== 'string') throw searchError('Each filter needs a propertyName.');
  const operator = String(filter.operator ?? 'EQ').toUpperCase();
  const association = /^associations\.(\w+)$/.exec(name);
  if (association) {
    const toType = findObjectType(association[1]!);
    if (!toType) throw searchError(`Unknown association filter ${name}.`);
    const ids = operator === 'IN' ? filter.values : [filter.value];
    if (!Array.isArray(ids) || !['EQ', 'IN'].includes(operator)) {
      throw searchError(`${name} supports EQ and IN only.`);
    }
    return `EXISTS (SELECT 1 FROM crm_associations a WHERE a.from_id = crm_objects.id AND a.to_type = ${sql.add(
      toType,
    )} AND a.to_id::text = ANY(${sql.add(ids.map(String))}))`;
  }
  const def = PROPERTY_DEFINITIONS[type].get(name);
  if (!def) throw searchError(`There was a problem with the request: property ${name} does not exist.`);
  const present = name === 'hs_object_id' ? 'true' : `(properties ? ${sql.add(name)})`;
  switch (operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return `NOT ${present}`;
    case 'EQ':
    case 'NEQ':
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const op = { EQ: '=', NEQ: '<>', LT: '<', LTE: '<=', GT: '>', GTE: '>=' }[operator];
      const cmp = `${column(def, name, sql)} ${op} ${operand(def, name, filter.value, sql)}`;
      // HubSpot's NEQ also matches records without the property.
      return operator === 'NEQ' ? `(NOT ${present} OR ${cmp})` : `(${present} AND ${cmp})`;
    }
    case 'BETWEEN': {
      const col = column(def, name, sql);
      return `(${present} AND ${col} >= ${operand(def, name, filter.value, sql)} AND ${col} <= ${operand(
        def,
        name,
        filter.highValue,
        sql,
      )})`;
    }
    case 'IN':
    case 'NOT_IN': {
      if (!Array.isArray(filter.values) || filter.values.length === 0) {
        throw searchError(`${operator} on ${name} needs a non-empty values array.`);
      }
      const col = column(def, name, sql);
      const list = filter.values.map((v) => operand(def, name, v, sql)).join(', ');
      return operator === 'IN'
        ? `(${present} AND ${col} IN (${list}))`
        : `(NOT ${present} OR ${col} NOT IN (${list}))`;
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      if (filter.value === undefined) throw searchError(`${operator} on ${name} needs a value.`);
      const match = `(properties->>${sql.add(name)}) ~* ${sql.add(tokenPattern(String(filter.value)))}`;
      return operator === 'CONTAINS_TOKEN'
        ? `(${present} AND ${match})`
        : `(NOT ${present} OR NOT (${match}))`;
    }
    default:
      throw searchError(`Unknown filter operator ${operator}.`);
  }
}

function compileWhere(type: ObjectType, request: SearchRequest, sql: Sql): string {
  const parts = [`object_type = ${sql.add(type)}`, 'NOT archived'];
  const groups = request.filterGroups ?? [];
  if (!Array.isArray(groups)) throw searchError('filterGroups must be an array.');
  if (groups.length > MAX_GROUPS) throw searchError(`At most ${MAX_GROUPS} filterGroups are allowed.`);
  let total = 0;
  const ors: string[] = [];
  for (const group of groups) {
    const filters = (group as { filters?: unknown })?.filters ?? [];
    if (!Array.isArray(filters)) throw searchError('filters must be an array.');
    if (filters.length > MAX_FILTERS_PER_GROUP) {
      throw searchError(`At most ${MAX_FILTERS_PER_GROUP} filters are allowed in a group.`);
    }
    total += filters.length;
    if (filters.length > 0)
      ors.push(`(${filters.map((f) => compileFilter(type, f as Filter, sql)).join(' AND ')})`);
  }
  if (total > MAX_FILTERS) throw searchError(`At most ${MAX_FILTERS} filters are allowed in all.`);
  if (ors.length > 0) parts.push(`(${ors.join(' OR ')})`);
  if (typeof request.query === 'string' && request.query.trim() !== '') {
    const like = sql.add(`%${request.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const fields = OBJECT_TYPE_INFO[type].queryProperties.map(
      (p) => `(properties->>${sql.add(p)}) ILIKE ${like}`,
    );
    parts.push(`(${fields.join(' OR ')})`);
  }
  return parts.join(' AND ');
}

function compileOrder(type: ObjectType, sorts: unknown, sql: Sql): string {
  if (sorts === undefined || sorts === null) return 'id';
  if (!Array.isArray(sorts)) throw searchError('sorts must be an array.');
  if (sorts.length === 0) return 'id';
  if (sorts.length > 1) throw searchError('Only one sort is allowed.');
  const sort = sorts[0];
  // 13.x types sorts as string[] ("name" or "-name"); HubSpot documents objects.
  const name =
    typeof sort === 'string' ? sort.replace(/^-/, '') : (sort as { propertyName?: unknown })?.propertyName;
  const descending =
    typeof sort === 'string'
      ? sort.startsWith('-')
      : (sort as { direction?: unknown })?.direction === 'DESCENDING';
  if (typeof name !== 'string') throw searchError('A sort needs a propertyName.');
  const def = PROPERTY_DEFINITIONS[type].get(name);
  if (!def) throw searchError(`Cannot sort by ${name}: the property does not exist.`);
  const dir = descending ? 'DESC NULLS LAST' : 'ASC NULLS LAST';
  return `${column(def, name, sql)} ${dir}, id`;
}

function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === null) return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}.`, 'limit');
  }
  return limit;
}

/** Runs a search; `properties` of the results are chosen by the caller. */
export async function searchObjects(db: Database, type: ObjectType, request: SearchRequest) {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw searchError('The search body must be a JSON object.');
  }
  if (JSON.stringify(request).length > MAX_BODY_CHARS) {
    throw searchError(`A search body may hold at most ${MAX_BODY_CHARS} characters.`);
  }
  const limit = parseLimit(request.limit);
  const after =
    request.after === undefined || request.after === null || request.after === '' ? 0 : Number(request.after);
  if (!Number.isInteger(after) || after < 0)
    throw invalid('after must be the offset of a previous page.', 'after');
  if (after + limit > MAX_RESULTS) {
    throw searchError(
      `Search results are limited to ${MAX_RESULTS}; after ${after} with limit ${limit} goes past it.`,
    );
  }
  const sql = new Sql();
  const where = compileWhere(type, request, sql);
  // The count below reuses only the filter parameters: sorts and paging add theirs after.
  const whereParamCount = sql.params.length;
  const order = compileOrder(type, request.sorts, sql);
  const limitParam = sql.add(limit);
  const offsetParam = sql.add(after);
  const rows = await db.query<ObjectRow & { total: number }>(
    `SELECT *, count(*) OVER () AS total FROM crm_objects WHERE ${where} ORDER BY ${order} LIMIT ${limitParam} OFFSET ${offsetParam}`,
    sql.params,
  );
  let total = rows[0]?.total;
  if (total === undefined) {
    const counted = await db.query<{ total: number }>(
      `SELECT count(*) AS total FROM crm_objects WHERE ${where}`,
      sql.params.slice(0, whereParamCount),
    );
    total = counted[0]?.total ?? 0;
  }
  const results = rows.map(toCrmObject);
  const next = after + results.length < total && results.length === limit ? String(after + limit) : undefined;
  return { total: Number(total), results, next };
}
