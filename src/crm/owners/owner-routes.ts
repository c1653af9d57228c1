/** `GET /crm/v3/owners` and `/crm/v3/owners/{ownerId}`, as HubSpot serves them. */
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../core/errors.js';
import type { CrmAuth } from '../auth/crm-auth.js';
import { requireToken } from '../auth/require-token.js';
import type { TokenStore } from '../auth/token-store.js';
import type { OwnerStore } from './owner-store.js';

interface OwnerListQuery {
  email?: string;
  after?: string;
  limit?: string;
  archived?: string;
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw invalid(`limit must be a positive whole number.`, 'limit');
  return limit;
}

export function registerOwnerRoutes(
  app: FastifyInstance,
  deps: { owners: OwnerStore; tokens: TokenStore; auth?: CrmAuth },
) {
  // With the CRM's auth, owners count against the rate limit like every CRM call.
  const auth = deps.auth?.bearer ?? requireToken(deps.tokens);
  app.get<{ Querystring: OwnerListQuery }>('/crm/v3/owners', { preHandler: auth }, async (request) => {
    const q = request.query;
    return deps.owners.list({
      email: q.email,
      after: q.after,
      limit: parseLimit(q.limit),
      archived: q.archived === 'true',
    });
  });
  app.get<{ Params: { ownerId: string }; Querystring: { idProperty?: string; archived?: string } }>(
    '/crm/v3/owners/:ownerId',
    { preHandler: auth },
    async (request) => {
      const idProperty = request.query.idProperty ?? 'id';
      if (idProperty !== 'id' && idProperty !== 'userId')
        throw invalid('idProperty must be id or userId.', 'idProperty');
      return deps.owners.get(request.params.ownerId, {
        idProperty,
        archived: request.query.archived === 'true',
      });
    },
  );
}
