/**
 * `/crm/v3/objects/{objectType}` for calls, contacts, companies, deals and tickets (reference §5,
 * §7): basic CRUD with list paging, batch create/read/update/upsert/archive, and search. Status
 * codes are exactly the ones `@hubspot/api-client` accepts (201 create, 204 archive, 207 partial).
 */
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../core/errors.js';
import type { Database } from '../../storage/db/index.js';
import type { CrmAuth } from '../auth/crm-auth.js';
import { boolParam, intParam, listParam, objectBody, stringParam } from '../request-params.js';
import { toPublicObject, withAssociations } from './object-response.js';
import { searchObjects } from './object-search.js';
import type { ObjectStore } from './object-store.js';
import { parseObjectType } from './object-types.js';

export interface ObjectRouteDeps {
  db: Database;
  objects: ObjectStore;
  auth: CrmAuth;
  publicUrl: string;
}

type Query = Record<string, unknown>;
type Route = { Params: { objectType: string; id?: string }; Querystring: Query };

const PREFIX = '/crm/v3/objects/:objectType';

function batchEnvelope(startedAt: string, results: unknown[], errors: unknown[] = []) {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: new Date().toISOString(),
  };
}

export function registerObjectRoutes(app: FastifyInstance, deps: ObjectRouteDeps): void {
  const { objects, db } = deps;
  const preHandler = deps.auth.bearer;

  app.get<Route>(PREFIX, { preHandler }, async (request) => {
    const type = parseObjectType(request.params.objectType);
    const q = request.query;
    const limit = intParam(q['limit'], 'limit', { min: 1, max: 100, fallback: 10 });
    const page = await objects.list(type, {
      after: stringParam(q['after']),
      limit,
      archived: boolParam(q['archived'], 'archived'),
    });
    const shaped = page.results.map((o) =>
      toPublicObject(o, {
        properties: listParam(q['properties']),
        propertiesWithHistory: listParam(q['propertiesWithHistory']),
      }),
    );
    const results = await withAssociations(db, shaped, listParam(q['associations']));
    const next = page.next
      ? {
          paging: {
            next: { after: page.next, link: `${deps.publicUrl}/crm/v3/objects/${type}?after=${page.next}` },
          },
        }
      : {};
    return { results, ...next };
  });

  app.post<Route>(PREFIX, { preHandler }, async (request, reply) => {
    const type = parseObjectType(request.params.objectType);
    const body = objectBody(request.body);
    const object = await objects.create(type, body);
    const [result] = await withAssociations(
      db,
      [toPublicObject(object, { properties: 'all' })],
      associationTargets(body),
    );
    reply.code(201).header('Location', `${deps.publicUrl}/crm/v3/objects/${type}/${object.id}`);
    return result;
  });

  app.get<Route>(`${PREFIX}/:id`, { preHandler }, async (request) => {
    const type = parseObjectType(request.params.objectType);
    const q = request.query;
    const object = await objects.get(type, request.params.id!, {
      archived: boolParam(q['archived'], 'archived'),
      idProperty: stringParam(q['idProperty']),
    });
    const shaped = toPublicObject(object, {
      properties: listParam(q['properties']),
      propertiesWithHistory: listParam(q['propertiesWithHistory']),
    });
    // The hot path (no associations asked for) stays free of further awaits.
    const associations = listParam(q['associations']);
    if (!associations || associations.length === 0) return shaped;
    const [result] = await withAssociations(db, [shaped], associations);
    return result;
  });

  app.patch<Route>(`${PREFIX}/:id`, { preHandler }, async (request) => {
    const type = parseObjectType(request.params.objectType);
    const body = objectBody(request.body);
    const object = await objects.update(type, request.params.id!, body['properties'], {
      idProperty: stringParam(request.query['idProperty']),
    });
    return toPublicObject(object, { properties: 'all' });
  });

  app.delete<Route>(`${PREFIX}/:id`, { preHandler }, async (request, reply) => {
    await objects.archive(parseObjectType(request.params.objectType), request.params.id!);
    reply.code(204).send();
  });

  app.post<Route>(`${PREFIX}/batch/create`, { preHandler }, async (request, reply) => {
    const type = parseObjectType(request.params.objectType);
    const startedAt = new Date().toISOString();
    const created = await objects.createBatch(type, objectBody(request.body)['inputs']);
    reply.code(201);
    return batchEnvelope(
      startedAt,
      created.map((o) => toPublicObject(o, { properties: 'all' })),
    );
  });

  app.post<Route>(`${PREFIX}/batch/read`, { preHandler }, async (request, reply) => {
    const type = parseObjectType(request.params.objectType);
    const startedAt = new Date().toISOString();
    const body = objectBody(request.body);
    const inputs = body['inputs'];
    if (!Array.isArray(inputs) || inputs.length > 100) {
      throw invalid('inputs must be an array of at most 100 { id }.');
    }
    const ids = inputs.map((input) => String((input as { id?: unknown } | null)?.id ?? ''));
    const idProperty = typeof body['idProperty'] === 'string' ? body['idProperty'] : undefined;
    const { found, missing } = await objects.getMany(type, ids, {
      archived: boolParam(request.query['archived'], 'archived'),
      idProperty,
    });
    const shape = {
      properties: listParam(body['properties']),
      propertiesWithHistory: listParam(body['propertiesWithHistory']),
    };
    const errors =
      missing.length === 0
        ? []
        : [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `Could not get some ${type} objects, they may be deleted or not exist.`,
              context: { ids: missing },
              errors: [],
              links: {},
            },
          ];
    reply.code(errors.length > 0 ? 207 : 200);
    return batchEnvelope(
      startedAt,
      found.map((o) => toPublicObject(o, shape)),
      errors,
    );
  });

  app.post<Route>(`${PREFIX}/batch/update`, { preHandler }, async (request) => {
    const type = parseObjectType(request.params.objectType);
    const startedAt = new Date().toISOString();
    const updated = await objects.updateBatch(type, objectBody(request.body)['inputs']);
    return batchEnvelope(
      startedAt,
      updated.map((o) => toPublicObject(o, { properties: 'all' })),
    );
  });

  app.post<Route>(`${PREFIX}/batch/upsert`, { preHandler }, async (request) => {
    const type = parseObjectType(request.params.objectType);
    const startedAt = new Date().toISOString();
    const upserted = await objects.upsertBatch(type, objectBody(request.body)['inputs']);
    return batchEnvelope(
      startedAt,
      upserted.map((o) => ({ ...toPublicObject(o, { properties: 'all' }), new: o.new })),
    );
  });

  app.post<Route>(`${PREFIX}/batch/archive`, { preHandler }, async (request, reply) => {
    await objects.archiveBatch(
      parseObjectType(request.params.objectType),
      objectBody(request.body)['inputs'],
    );
    reply.code(204).send();
  });

  app.post<Route>(`${PREFIX}/search`, { preHandler }, async (request) => {
    const type = parseObjectType(request.params.objectType);
    const body = objectBody(request.body);
    const found = await searchObjects(db, type, body);
    const requested = listParam(body['properties']);
    const results = found.results.map((o) => toPublicObject(o, { properties: requested }));
    return {
      total: found.total,
      results,
      ...(found.next ? { paging: { next: { after: found.next } } } : {}),
    };
  });
}

function associationTargets(body: Record<string, unknown>): string[] | undefined {
  return Array.isArray(body['associations']) && body['associations'].length > 0
    ? ['contacts', 'companies', 'deals', 'tickets', 'calls']
    : undefined;
}
