/**
 * Associations v3 (per-object PUT/DELETE/GET and the v3 batch API) and v4 (labelled types, batch,
 * labels), reference §6. HubSpot-defined type ids apply in both directions; a write stores the
 * inverse too. Ids in v4 bodies are numbers, as HubSpot sends them.
 */
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../core/errors.js';
import type { Database, Queryable } from '../../storage/db/index.js';
import type { CrmAuth } from '../auth/crm-auth.js';
import { toPublicObject, withAssociations } from '../objects/object-response.js';
import type { ObjectStore } from '../objects/object-store.js';
import { OBJECT_TYPE_INFO, type ObjectType, parseObjectType } from '../objects/object-types.js';
import { intParam, objectBody, stringParam } from '../request-params.js';
import {
  type AssociatedRecord,
  type AssociationSpec,
  associate,
  createAssociationLabel,
  deleteAssociationLabel,
  dissociate,
  findAssociationType,
  listAssociations,
  listAssociationTypes,
  requireDefaultType,
  requireRecord,
  resolveAssociationSpec,
  updateAssociationLabel,
} from './association-store.js';
import { type AssociationType, hubspotDefinedTypeByName } from './association-types.js';

export interface AssociationRouteDeps {
  db: Database;
  objects: ObjectStore;
  auth: CrmAuth;
}

type Params = { objectType: string; id: string; toType: string; toId: string; assocType: string };
type Route = { Params: Params; Querystring: Record<string, unknown> };
type PairRoute = { Params: { from: string; to: string; typeId?: string } };

const v4Types = (types: AssociationType[]) =>
  types.map((t) => ({ category: t.category, typeId: t.typeId, label: t.label }));

function batchResult(startedAt: string, results: unknown[], errors: unknown[] = []) {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: new Date().toISOString(),
  };
}

function inputsOf(body: unknown, max: number): Record<string, unknown>[] {
  const inputs = objectBody(body)['inputs'];
  if (!Array.isArray(inputs)) throw invalid('inputs must be an array.', 'inputs');
  if (inputs.length > max) throw invalid(`A batch takes at most ${max} inputs.`, 'inputs');
  return inputs.map((i) => objectBody(i, 'Each input'));
}

const idOf = (raw: unknown): string => String((raw as { id?: unknown } | null)?.id ?? '');

export function registerAssociationRoutes(app: FastifyInstance, deps: AssociationRouteDeps): void {
  const { db } = deps;
  const preHandler = deps.auth.bearer;

  /** A v3 path's association type: a numeric id or a name such as `call_to_contact`. */
  async function pathType(from: ObjectType, to: ObjectType, raw: string): Promise<AssociationType> {
    const type = /^\d+$/.test(raw)
      ? await findAssociationType(db, Number(raw))
      : hubspotDefinedTypeByName(raw);
    if (!type || type.from !== from || type.to !== to) {
      throw invalid(`${raw} is not an association type from ${from} to ${to}.`, 'associationType');
    }
    return type;
  }

  async function labelsBetween(from: ObjectType, fromId: number, to: ObjectType, toId: number) {
    const records = (await listAssociations(db, [fromId], to)).get(fromId) ?? [];
    const types = records.find((r) => r.toObjectId === toId)?.types ?? [];
    return {
      fromObjectTypeId: OBJECT_TYPE_INFO[from].typeId,
      fromObjectId: fromId,
      toObjectTypeId: OBJECT_TYPE_INFO[to].typeId,
      toObjectId: toId,
      labels: types.filter((t) => t.label !== null).map((t) => t.label as string),
    };
  }

  /** Replaces every association between two records with the given specs (v4 labelled PUT). */
  async function replaceLabels(
    tx: Queryable,
    from: ObjectType,
    fromId: string,
    to: ObjectType,
    toId: string,
    specs: unknown,
  ) {
    if (!Array.isArray(specs) || specs.length === 0) {
      throw invalid('The body must be a non-empty array of { associationCategory, associationTypeId }.');
    }
    const a = await requireRecord(tx, from, fromId);
    const b = await requireRecord(tx, to, toId);
    const types: AssociationType[] = [];
    for (const spec of specs) types.push(await resolveAssociationSpec(tx, from, to, spec as AssociationSpec));
    await dissociate(tx, a, b);
    await associate(tx, { type: from, id: a }, { type: to, id: b }, types);
    return { a, b };
  }

  // ---- v3, per object ------------------------------------------------------------------------
  const v3 = '/crm/v3/objects/:objectType/:id/associations/:toType';
  app.get<Route>(v3, { preHandler }, async (request) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const id = await requireRecord(db, from, request.params.id);
    const limit = intParam(request.query['limit'], 'limit', { min: 1, max: 500, fallback: 500 });
    const after = Number(stringParam(request.query['after']) ?? 0);
    const records = (await listAssociations(db, [id], to, { after, limit })).get(id) ?? [];
    const page = records.slice(0, limit);
    const results = page.flatMap((r) => r.types.map((t) => ({ id: String(r.toObjectId), type: t.name })));
    const next = records.length > limit ? String(page[page.length - 1]!.toObjectId) : undefined;
    return { results, ...(next ? { paging: { next: { after: next } } } : {}) };
  });

  app.put<Route>(`${v3}/:toId/:assocType`, { preHandler }, async (request) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const type = await pathType(from, to, request.params.assocType);
    await db.transaction(async (tx) => {
      const a = await requireRecord(tx, from, request.params.id);
      const b = await requireRecord(tx, to, request.params.toId);
      await associate(tx, { type: from, id: a }, { type: to, id: b }, [type]);
    });
    const object = await deps.objects.get(from, request.params.id);
    const [result] = await withAssociations(db, [toPublicObject(object)], [to]);
    return result;
  });

  app.delete<Route>(`${v3}/:toId/:assocType`, { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const type = await pathType(from, to, request.params.assocType);
    const a = await requireRecord(db, from, request.params.id);
    const b = await requireRecord(db, to, request.params.toId);
    await db.transaction((tx) => dissociate(tx, a, b, [type]));
    reply.code(204).send();
  });

  // ---- v3 batch ------------------------------------------------------------------------------
  app.post<PairRoute>('/crm/v3/associations/:from/:to/batch/read', { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.from);
    const to = parseObjectType(request.params.to);
    const startedAt = new Date().toISOString();
    const ids = inputsOf(request.body, 1000).map((i) => String(i['id'] ?? ''));
    const numeric = ids.filter((id) => /^\d+$/.test(id)).map(Number);
    const byId = await listAssociations(db, numeric, to);
    const results = [];
    const missing = [];
    for (const id of ids) {
      const records = byId.get(Number(id));
      if (!records) missing.push(id);
      else
        results.push({
          from: { id },
          to: records.flatMap((r) => r.types.map((t) => ({ id: String(r.toObjectId), type: t.name }))),
        });
    }
    const errors = missing.length
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `No ${to} associated with ${from}.`,
            context: { ids: missing },
          },
        ]
      : [];
    reply.code(errors.length ? 207 : 200);
    return batchResult(startedAt, results, errors);
  });

  app.post<PairRoute>(
    '/crm/v3/associations/:from/:to/batch/create',
    { preHandler },
    async (request, reply) => {
      const from = parseObjectType(request.params.from);
      const to = parseObjectType(request.params.to);
      const startedAt = new Date().toISOString();
      const inputs = inputsOf(request.body, 100);
      const results = await db.transaction(async (tx) => {
        const out = [];
        for (const input of inputs) {
          const type = await pathType(from, to, String(input['type'] ?? ''));
          const a = await requireRecord(tx, from, idOf(input['from']));
          const b = await requireRecord(tx, to, idOf(input['to']));
          await associate(tx, { type: from, id: a }, { type: to, id: b }, [type]);
          out.push({ from: { id: String(a) }, to: { id: String(b) }, type: type.name });
        }
        return out;
      });
      reply.code(201);
      return batchResult(startedAt, results);
    },
  );

  app.post<PairRoute>(
    '/crm/v3/associations/:from/:to/batch/archive',
    { preHandler },
    async (request, reply) => {
      const from = parseObjectType(request.params.from);
      const to = parseObjectType(request.params.to);
      const inputs = inputsOf(request.body, 100);
      await db.transaction(async (tx) => {
        for (const input of inputs) {
          const type = await pathType(from, to, String(input['type'] ?? ''));
          await dissociate(tx, Number(idOf(input['from'])), Number(idOf(input['to'])), [type]);
        }
      });
      reply.code(204).send();
    },
  );

  // ---- v4, per object ------------------------------------------------------------------------
  const v4 = '/crm/v4/objects/:objectType/:id/associations';
  app.get<Route>(`${v4}/:toType`, { preHandler }, async (request) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const id = await requireRecord(db, from, request.params.id);
    const limit = intParam(request.query['limit'], 'limit', { min: 1, max: 500, fallback: 500 });
    const afterRaw = stringParam(request.query['after']) ?? '0';
    if (!/^\d+$/.test(afterRaw)) throw invalid('after must be a cursor from a previous page.', 'after');
    const records: AssociatedRecord[] =
      (await listAssociations(db, [id], to, { after: Number(afterRaw), limit })).get(id) ?? [];
    const page = records.slice(0, limit);
    const results = page.map((r) => ({ toObjectId: r.toObjectId, associationTypes: v4Types(r.types) }));
    const next = records.length > limit ? String(page[page.length - 1]!.toObjectId) : undefined;
    return { results, ...(next ? { paging: { next: { after: next } } } : {}) };
  });

  app.put<Route>(`${v4}/:toType/:toId`, { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const { a, b } = await db.transaction((tx) =>
      replaceLabels(tx, from, request.params.id, to, request.params.toId, request.body),
    );
    reply.code(201);
    return labelsBetween(from, a, to, b);
  });

  app.put<Route>(`${v4}/default/:toType/:toId`, { preHandler }, async (request) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const startedAt = new Date().toISOString();
    const type = requireDefaultType(from, to);
    const { a, b } = await db.transaction(async (tx) => {
      const a = await requireRecord(tx, from, request.params.id);
      const b = await requireRecord(tx, to, request.params.toId);
      await associate(tx, { type: from, id: a }, { type: to, id: b }, [type]);
      return { a, b };
    });
    const spec = (t: AssociationType) => ({ associationCategory: t.category, associationTypeId: t.typeId });
    return batchResult(startedAt, [
      { from: { id: String(a) }, to: { id: String(b) }, associationSpec: spec(type) },
      {
        from: { id: String(b) },
        to: { id: String(a) },
        associationSpec: { ...spec(type), associationTypeId: type.inverseTypeId },
      },
    ]);
  });

  app.delete<Route>(`${v4}/:toType/:toId`, { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.objectType);
    const to = parseObjectType(request.params.toType);
    const a = await requireRecord(db, from, request.params.id);
    const b = await requireRecord(db, to, request.params.toId);
    await dissociate(db, a, b);
    reply.code(204).send();
  });

  // ---- v4 batch ------------------------------------------------------------------------------
  const batch = '/crm/v4/associations/:from/:to/batch';
  app.post<PairRoute>(`${batch}/read`, { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.from);
    const to = parseObjectType(request.params.to);
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(request.body, 1000);
    const results = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input['id'] ?? '');
      const after = Number(input['after'] ?? 0);
      const records = /^\d+$/.test(id)
        ? (await listAssociations(db, [Number(id)], to, { after })).get(Number(id))
        : undefined;
      if (!records) missing.push(id);
      else
        results.push({
          from: { id },
          to: records.map((r) => ({ toObjectId: r.toObjectId, associationTypes: v4Types(r.types) })),
        });
    }
    const errors = missing.length
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `No ${OBJECT_TYPE_INFO[to].singular} is associated with ${from} ${missing.join(', ')}.`,
            context: { fromObjectId: missing },
            errors: [],
            links: {},
          },
        ]
      : [];
    reply.code(errors.length ? 207 : 200);
    return batchResult(startedAt, results, errors);
  });

  app.post<PairRoute>(`${batch}/create`, { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.from);
    const to = parseObjectType(request.params.to);
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(request.body, 2000);
    // Every pair or none (no partial writes).
    const pairs = await db.transaction(async (tx) => {
      const out = [];
      for (const input of inputs) {
        out.push(await replaceLabels(tx, from, idOf(input['from']), to, idOf(input['to']), input['types']));
      }
      return out;
    });
    const results = [];
    for (const { a, b } of pairs) results.push(await labelsBetween(from, a, to, b));
    reply.code(201);
    return batchResult(startedAt, results);
  });

  app.post<PairRoute>(`${batch}/associate/default`, { preHandler }, async (request) => {
    const from = parseObjectType(request.params.from);
    const to = parseObjectType(request.params.to);
    const startedAt = new Date().toISOString();
    const type = requireDefaultType(from, to);
    const inputs = inputsOf(request.body, 2000);
    const results = await db.transaction(async (tx) => {
      const out = [];
      for (const input of inputs) {
        const a = await requireRecord(tx, from, idOf(input['from']));
        const b = await requireRecord(tx, to, idOf(input['to']));
        await associate(tx, { type: from, id: a }, { type: to, id: b }, [type]);
        out.push({
          from: { id: String(a) },
          to: { id: String(b) },
          associationSpec: { associationCategory: type.category, associationTypeId: type.typeId },
        });
      }
      return out;
    });
    return batchResult(startedAt, results);
  });

  app.post<PairRoute>(`${batch}/archive`, { preHandler }, async (request, reply) => {
    parseObjectType(request.params.from);
    parseObjectType(request.params.to);
    const inputs = inputsOf(request.body, 2000);
    await db.transaction(async (tx) => {
      for (const input of inputs) {
        const targets = Array.isArray(input['to']) ? input['to'] : [input['to']];
        for (const target of targets) await dissociate(tx, Number(idOf(input['from'])), Number(idOf(target)));
      }
    });
    reply.code(204).send();
  });

  app.post<PairRoute>(`${batch}/labels/archive`, { preHandler }, async (request, reply) => {
    const from = parseObjectType(request.params.from);
    const to = parseObjectType(request.params.to);
    const inputs = inputsOf(request.body, 2000);
    await db.transaction(async (tx) => {
      for (const input of inputs) {
        const specs = Array.isArray(input['types']) ? input['types'] : [];
        const types = [];
        for (const spec of specs)
          types.push(await resolveAssociationSpec(tx, from, to, spec as AssociationSpec));
        await dissociate(tx, Number(idOf(input['from'])), Number(idOf(input['to'])), types);
      }
    });
    reply.code(204).send();
  });

  // ---- v4 labels -----------------------------------------------------------------------------
  const labels = '/crm/v4/associations/:from/:to/labels';
  app.get<PairRoute>(labels, { preHandler }, async (request) => {
    const types = await listAssociationTypes(
      db,
      parseObjectType(request.params.from),
      parseObjectType(request.params.to),
    );
    return { results: v4Types(types) };
  });

  app.post<PairRoute>(labels, { preHandler }, async (request) => {
    const from = parseObjectType(request.params.from);
    const to = parseObjectType(request.params.to);
    const body = objectBody(request.body);
    const label = body['label'];
    const name = body['name'];
    if (typeof label !== 'string' || label === '') throw invalid('label is required.', 'label');
    if (typeof name !== 'string' || !/^[a-z0-9_]+$/i.test(name)) {
      throw invalid('name is required: letters, digits and underscores.', 'name');
    }
    const inverse = typeof body['inverseLabel'] === 'string' ? body['inverseLabel'] : undefined;
    const created = await db.transaction((tx) =>
      createAssociationLabel(tx, from, to, { name, label, inverseLabel: inverse }),
    );
    return { results: v4Types(created) };
  });

  app.put<PairRoute>(labels, { preHandler }, async (request, reply) => {
    const body = objectBody(request.body);
    const typeId = Number(body['associationTypeId']);
    if (!Number.isInteger(typeId)) throw invalid('associationTypeId is required.', 'associationTypeId');
    if (typeof body['label'] !== 'string' || body['label'] === '')
      throw invalid('label is required.', 'label');
    await updateAssociationLabel(
      db,
      parseObjectType(request.params.from),
      parseObjectType(request.params.to),
      {
        typeId,
        label: body['label'],
        inverseLabel: typeof body['inverseLabel'] === 'string' ? body['inverseLabel'] : undefined,
      },
    );
    reply.code(204).send();
  });

  app.delete<PairRoute>(`${labels}/:typeId`, { preHandler }, async (request, reply) => {
    const typeId = Number(request.params.typeId);
    if (!Number.isInteger(typeId)) throw invalid('The label id must be a whole number.', 'associationTypeId');
    await db.transaction((tx) =>
      deleteAssociationLabel(
        tx,
        parseObjectType(request.params.from),
        parseObjectType(request.params.to),
        typeId,
      ),
    );
    reply.code(204).send();
  });
}
