/**
 * CRM records of every type in one table: create (with inline associations), read, list, update,
 * archive, and their batch forms. Every multi-row write runs in one transaction, so a batch with
 * one bad input writes nothing. Call writes are announced on {@link CrmEvents} after commit.
 */
import { AppError, type ErrorDetail, invalid } from '../../core/errors.js';
import type { Database, Queryable } from '../../storage/db/index.js';
import {
  type AssociationSpec,
  associate,
  requireRecord,
  resolveAssociationSpec,
} from '../associations/association-store.js';
import { bodyPreview, checkCallProperties } from '../calls/call-rules.js';
import type { CrmEvents } from '../crm-events.js';
import { PROPERTY_DEFINITIONS } from '../properties/property-definitions.js';
import {
  type PropertyChanges,
  propertyError,
  validateProperties,
} from '../properties/property-validation.js';
import type { ObjectCache } from './object-cache.js';
import { type CrmObject, type ObjectRow, toCrmObject } from './object-rows.js';
import { OBJECT_TYPE_INFO, type ObjectType, timestampProperties } from './object-types.js';

export type { CrmObject } from './object-rows.js';

/** A record to create: `properties` and optional inline `associations` (reference §5). */
export interface ObjectInput {
  properties?: unknown;
  associations?: unknown;
}

export interface ReadOptions {
  archived?: boolean;
  /** `hs_object_id` (default) or a unique property such as a contact's `email`. */
  idProperty?: string;
}

interface InlineAssociation {
  toId: string;
  specs: AssociationSpec[];
}

interface Prepared {
  properties: Record<string, string>;
  associations: InlineAssociation[];
  changed: string[];
}

const MAX_BATCH = 100;

/** Applies normalised changes to stored properties and derives what HubSpot derives. */
function merge(type: ObjectType, current: Record<string, string>, changes: PropertyChanges, now: string) {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  next[timestampProperties(type).modified] = now;
  if (type === 'calls') {
    const preview = bodyPreview(next['hs_call_body']);
    if (preview) next['hs_body_preview'] = preview;
    else delete next['hs_body_preview'];
    const problems = checkCallProperties(next);
    if (problems.length > 0) throw propertyError(problems);
  }
  return next;
}

function parseInlineAssociations(raw: unknown): InlineAssociation[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw invalid('associations must be an array of { to: { id }, types: [...] }.', 'associations');
  return raw.map((item, i) => {
    const to = (item as { to?: { id?: unknown } })?.to;
    const types = (item as { types?: unknown })?.types;
    const id = to?.id;
    if ((typeof id !== 'string' && typeof id !== 'number') || !/^\d+$/.test(String(id))) {
      throw invalid(`associations[${i}].to.id must be a record id.`, 'associations');
    }
    if (!Array.isArray(types) || types.length === 0) {
      throw invalid(`associations[${i}].types must list at least one association type.`, 'associations');
    }
    return { toId: String(id), specs: types as AssociationSpec[] };
  });
}

function requireBatch(inputs: unknown): unknown[] {
  if (!Array.isArray(inputs)) throw invalid('inputs must be an array.', 'inputs');
  if (inputs.length > MAX_BATCH) {
    throw invalid(`A batch takes at most ${MAX_BATCH} inputs, not ${inputs.length}.`, 'inputs');
  }
  return inputs;
}

function objectNotFound(type: ObjectType, ids: string[]): AppError {
  const what = OBJECT_TYPE_INFO[type].singular;
  const message = `No ${what} with id ${ids.join(', ')} exists.`;
  return new AppError('E_NOT_FOUND', message, {
    details: [{ message, code: 'OBJECT_NOT_FOUND', context: { ids } }],
  });
}

/** The SQL condition and parameter addressing a record by `idProperty`. */
function idCondition(type: ObjectType, id: string, idProperty: string | undefined, n: number) {
  if (!idProperty || idProperty === 'hs_object_id') {
    if (!/^\d+$/.test(id) || !Number.isSafeInteger(Number(id))) return undefined;
    return { sql: `id = $${n}`, param: Number(id) as unknown };
  }
  const def = PROPERTY_DEFINITIONS[type].get(idProperty);
  if (!def?.unique) {
    throw invalid(
      `${idProperty} is not a unique property of ${type}; it cannot be an idProperty.`,
      'idProperty',
    );
  }
  return { sql: `lower(properties->>'${def.name}') = lower($${n})`, param: id as unknown };
}

export function createObjectStore(db: Database, deps: { events: CrmEvents; cache: ObjectCache }) {
  const { cache } = deps;
  const ownerExists = async (id: string) =>
    (await db.query('SELECT 1 FROM owners WHERE id = $1 AND NOT archived', [Number(id)])).length > 0;

  async function prepareCreate(type: ObjectType, input: unknown, now: string): Promise<Prepared> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw invalid('Each record must be an object with properties.', 'properties');
    }
    const { properties, associations } = input as ObjectInput;
    const changes = await validateProperties(type, properties, { mode: 'create', ownerExists });
    const stamps = timestampProperties(type);
    const merged = merge(type, { [stamps.created]: now }, changes, now);
    return {
      properties: merged,
      associations: parseInlineAssociations(associations),
      changed: Object.keys(changes),
    };
  }

  async function insert(q: Queryable, type: ObjectType, prepared: Prepared, now: string): Promise<ObjectRow> {
    {
      const rows = await q.query<ObjectRow>(
        `WITH ids AS (SELECT nextval('crm_object_ids') AS id)
         INSERT INTO crm_objects (id, object_type, properties, created_at, updated_at)
         SELECT id, $1, $2::jsonb || jsonb_build_object('hs_object_id', id::text), $3, $3 FROM ids
         RETURNING *`,
        [type, JSON.stringify(prepared.properties), now],
      );
      const row = rows[0]!;
      for (const link of prepared.associations) {
        for (const spec of link.specs) {
          const assocType = await resolveAssociationSpec(q, type, undefined, spec);
          const toId = await requireRecord(q, assocType.to, link.toId);
          await associate(q, { type, id: row.id }, { type: assocType.to, id: toId }, [assocType]);
        }
      }
      return row;
    }
  }

  /**
   * Turns a unique-email violation into HubSpot's 409. Runs after the transaction has ended: on
   * PGlite a query outside an open transaction would wait for it.
   */
  async function explainConflict<T>(type: ObjectType, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code !== '23505' || type !== 'contacts') throw error;
      const detail = String((error as { detail?: string }).detail ?? '');
      const email = /\)=\((.*)\) already exists/.exec(detail)?.[1] ?? '';
      const rows = await db.query<{ id: number }>(
        "SELECT id FROM crm_objects WHERE object_type = 'contacts' AND NOT archived AND lower(properties->>'email') = lower($1)",
        [email],
      );
      throw new AppError('E_CONFLICT', `Contact already exists. Existing ID: ${rows[0]?.id ?? 'unknown'}`, {
        cause: error,
        details: [
          {
            message: `A contact with email ${email || 'this email'} already exists.`,
            code: 'CONTACT_EXISTS',
            context: { email: [email] },
          },
        ],
      });
    }
  }

  function announceCreated(type: ObjectType, objects: CrmObject[]) {
    if (type !== 'calls') return;
    for (const call of objects) deps.events.emit('call.created', { call });
  }

  async function lockRow(
    q: Queryable,
    type: ObjectType,
    id: string,
    idProperty?: string,
  ): Promise<ObjectRow> {
    const cond = idCondition(type, id, idProperty, 2);
    const rows = cond
      ? await q.query<ObjectRow>(
          `SELECT * FROM crm_objects WHERE object_type = $1 AND NOT archived AND ${cond.sql} FOR UPDATE`,
          [type, cond.param],
        )
      : [];
    if (!rows[0]) throw objectNotFound(type, [id]);
    return rows[0];
  }

  async function writeUpdate(q: Queryable, row: ObjectRow, changes: PropertyChanges, now: string) {
    const merged = merge(row.object_type, row.properties, changes, now);
    const rows = await q.query<ObjectRow>(
      'UPDATE crm_objects SET properties = $2::jsonb, updated_at = $3 WHERE id = $1 RETURNING *',
      [row.id, JSON.stringify(merged), now],
    );
    return rows[0]!;
  }

  function announceUpdated(type: ObjectType, updates: { call: CrmObject; changed: string[] }[]) {
    if (type !== 'calls') return;
    for (const update of updates) deps.events.emit('call.updated', update);
  }

  const store = {
    /** Creates one record (and its inline associations, in the same transaction). */
    async create(type: ObjectType, input: ObjectInput): Promise<CrmObject> {
      const now = new Date().toISOString();
      const prepared = await prepareCreate(type, input, now);
      const row = await explainConflict(type, () =>
        prepared.associations.length === 0
          ? insert(db, type, prepared, now)
          : db.transaction((tx) => insert(tx, type, prepared, now)),
      );
      await cache.written([row]);
      const object = toCrmObject(row);
      announceCreated(type, [object]);
      return object;
    },

    /** Creates every input or none: one invalid input fails the whole batch. */
    async createBatch(type: ObjectType, inputs: unknown): Promise<CrmObject[]> {
      const list = requireBatch(inputs);
      const now = new Date().toISOString();
      const prepared: Prepared[] = [];
      for (const [i, input] of list.entries()) {
        try {
          prepared.push(await prepareCreate(type, input, now));
        } catch (error) {
          throw withInputIndex(error, i, input);
        }
      }
      const rows = await explainConflict(type, () =>
        db.transaction(async (tx) => {
          const out: ObjectRow[] = [];
          for (const p of prepared) out.push(await insert(tx, type, p, now));
          return out;
        }),
      );
      await cache.written(rows);
      const objects = rows.map(toCrmObject);
      announceCreated(type, objects);
      return objects;
    },

    /** One record; 404 when it does not exist (or is archived, unless `archived`). */
    async get(type: ObjectType, id: string, options: ReadOptions = {}): Promise<CrmObject> {
      const byId = !options.idProperty || options.idProperty === 'hs_object_id';
      const cached = byId && /^\d+$/.test(id) ? cache.get(Number(id)) : undefined;
      if (cached && cached.object_type === type && cached.archived === (options.archived ?? false)) {
        return toCrmObject(cached);
      }
      const token = cache.begin();
      const cond = idCondition(type, id, options.idProperty, 3);
      const rows = cond
        ? await db.query<ObjectRow>(
            `SELECT * FROM crm_objects WHERE object_type = $1 AND archived = $2 AND ${cond.sql}`,
            [type, options.archived ?? false, cond.param],
          )
        : [];
      if (!rows[0]) throw objectNotFound(type, [id]);
      cache.remember(token, rows[0]);
      return toCrmObject(rows[0]);
    },

    /** The records found among `ids`, and the ids that were not. */
    async getMany(type: ObjectType, ids: readonly string[], options: ReadOptions = {}) {
      const found: CrmObject[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        try {
          found.push(await store.get(type, id, options));
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'E_NOT_FOUND') throw error;
          missing.push(id);
        }
      }
      return { found, missing };
    },

    /** A page of records by ascending id; `after` is the last id of the previous page. */
    async list(type: ObjectType, options: { after?: string; limit?: number; archived?: boolean } = {}) {
      const limit = options.limit ?? 10;
      const after = options.after === undefined ? 0 : Number(options.after);
      if (!Number.isSafeInteger(after) || after < 0) {
        throw invalid(`after must be the cursor of a previous page, not "${options.after}".`, 'after');
      }
      const rows = await db.query<ObjectRow>(
        'SELECT * FROM crm_objects WHERE object_type = $1 AND archived = $2 AND id > $3 ORDER BY id LIMIT $4',
        [type, options.archived ?? false, after, limit + 1],
      );
      const results = rows.slice(0, limit).map(toCrmObject);
      const next = rows.length > limit ? results[results.length - 1]?.id : undefined;
      return { results, next };
    },

    /** Updates one record's properties; read-only properties are ignored. */
    async update(type: ObjectType, id: string, properties: unknown, options: ReadOptions = {}) {
      const changes = await validateProperties(type, properties, { mode: 'update', ownerExists });
      const now = new Date().toISOString();
      const row = await explainConflict(type, () =>
        db.transaction(async (tx) =>
          writeUpdate(tx, await lockRow(tx, type, id, options.idProperty), changes, now),
        ),
      );
      await cache.written([row]);
      const object = toCrmObject(row);
      announceUpdated(type, [{ call: object, changed: Object.keys(changes) }]);
      return object;
    },

    /** Updates every input or none. */
    async updateBatch(type: ObjectType, inputs: unknown): Promise<CrmObject[]> {
      const list = requireBatch(inputs);
      const items: { id: string; idProperty?: string; changes: PropertyChanges }[] = [];
      for (const [i, input] of list.entries()) {
        const { id, idProperty, properties } = (input ?? {}) as Record<string, unknown>;
        if (typeof id !== 'string' && typeof id !== 'number')
          throw invalid(`inputs[${i}].id is required.`, 'id');
        try {
          const changes = await validateProperties(type, properties, { mode: 'update', ownerExists });
          items.push({ id: String(id), idProperty: idProperty as string | undefined, changes });
        } catch (error) {
          throw withInputIndex(error, i, input);
        }
      }
      const ids = items.map((item) => item.id);
      const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
      if (duplicate) throw invalid(`Duplicate IDs found in batch input: [${duplicate}].`, 'inputs');
      const now = new Date().toISOString();
      const rows = await explainConflict(type, () =>
        db.transaction(async (tx) => {
          const out: ObjectRow[] = [];
          for (const item of items) {
            out.push(
              await writeUpdate(tx, await lockRow(tx, type, item.id, item.idProperty), item.changes, now),
            );
          }
          return out;
        }),
      );
      await cache.written(rows);
      const objects = rows.map(toCrmObject);
      announceUpdated(
        type,
        objects.map((call, i) => ({ call, changed: Object.keys(items[i]!.changes) })),
      );
      return objects;
    },

    /** Creates or updates by a unique `idProperty` (e.g. contacts by email); every input or none. */
    async upsertBatch(type: ObjectType, inputs: unknown): Promise<(CrmObject & { new: boolean })[]> {
      const list = requireBatch(inputs);
      const now = new Date().toISOString();
      const plans: (
        | { kind: 'update'; id: string; idProperty?: string; changes: PropertyChanges }
        | {
            kind: 'create';
            prepared: Prepared;
          }
      )[] = [];
      for (const [i, input] of list.entries()) {
        const { id, idProperty, properties } = (input ?? {}) as Record<string, unknown>;
        if (typeof id !== 'string' && typeof id !== 'number')
          throw invalid(`inputs[${i}].id is required.`, 'id');
        const prop = typeof idProperty === 'string' ? idProperty : 'hs_object_id';
        const exists = await store.getMany(type, [String(id)], { idProperty: prop });
        try {
          if (exists.found.length > 0) {
            const changes = await validateProperties(type, properties, { mode: 'update', ownerExists });
            plans.push({ kind: 'update', id: String(id), idProperty: prop, changes });
          } else if (prop === 'hs_object_id') {
            throw objectNotFound(type, [String(id)]);
          } else {
            const withId = { ...((properties as object) ?? {}), [prop]: String(id) };
            plans.push({ kind: 'create', prepared: await prepareCreate(type, { properties: withId }, now) });
          }
        } catch (error) {
          throw withInputIndex(error, i, input);
        }
      }
      const rows = await explainConflict(type, () =>
        db.transaction(async (tx) => {
          const out: (ObjectRow & { isNew: boolean })[] = [];
          for (const plan of plans) {
            if (plan.kind === 'create')
              out.push({ ...(await insert(tx, type, plan.prepared, now)), isNew: true });
            else {
              const row = await lockRow(tx, type, plan.id, plan.idProperty);
              out.push({ ...(await writeUpdate(tx, row, plan.changes, now)), isNew: false });
            }
          }
          return out;
        }),
      );
      await cache.written(rows);
      const objects = rows.map((row) => ({ ...toCrmObject(row), new: row.isNew }));
      announceCreated(
        type,
        objects.filter((o) => o.new),
      );
      announceUpdated(
        type,
        objects.filter((o) => !o.new).map((call) => ({ call, changed: [] })),
      );
      return objects;
    },

    /** Moves a record to the recycle bin; 404 when there is no live record with that id. */
    async archive(type: ObjectType, id: string): Promise<void> {
      const cond = idCondition(type, id, undefined, 3);
      const rows = cond
        ? await db.query(
            `UPDATE crm_objects SET archived = true, archived_at = $2 WHERE object_type = $1 AND NOT archived AND ${cond.sql} RETURNING id`,
            [type, new Date().toISOString(), cond.param],
          )
        : [];
      if (rows.length === 0) throw objectNotFound(type, [id]);
      await cache.removed([Number(id)]);
    },

    /** Archives every listed record that exists; unknown ids are ignored, as HubSpot does. */
    async archiveBatch(type: ObjectType, inputs: unknown): Promise<void> {
      const ids = requireBatch(inputs).map((input, i) => {
        const id = (input as { id?: unknown } | null)?.id;
        if ((typeof id !== 'string' && typeof id !== 'number') || !/^\d+$/.test(String(id))) {
          throw invalid(`inputs[${i}].id must be a record id.`, 'id');
        }
        return Number(id);
      });
      await db.query(
        'UPDATE crm_objects SET archived = true, archived_at = $3 WHERE object_type = $1 AND NOT archived AND id = ANY($2)',
        [type, ids, new Date().toISOString()],
      );
      await cache.removed(ids);
    },
  };
  return store;
}

/** Names the failing batch input in a validation error (HubSpot's `context.objectWriteTraceId`). */
function withInputIndex(error: unknown, index: number, input: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const trace = (input as { objectWriteTraceId?: unknown } | null)?.objectWriteTraceId;
  const details: ErrorDetail[] = error.details.map((d) => ({
    ...d,
    context: {
      ...d.context,
      inputIndex: [String(index)],
      ...(typeof trace === 'string' ? { objectWriteTraceId: [trace] } : {}),
    },
  }));
  return new AppError(error.code, `inputs[${index}]: ${error.message}`, {
    cause: error,
    details,
    status: error.status,
    category: error.category,
    extra: error.extra,
  });
}

export type ObjectStore = ReturnType<typeof createObjectStore>;
