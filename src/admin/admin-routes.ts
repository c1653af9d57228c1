/**
 * The admin API: what `callscribe token create` and `callscribe owners …` do, over HTTP, so the
 * CLI works while `serve` holds the embedded database. Guarded by the server's admin secret
 * (written to `<dataDir>/server.json`, readable only by its user).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../core/errors.js';
import { bearerToken } from '../crm/auth/require-token.js';
import type { TokenKind, TokenStore } from '../crm/auth/token-store.js';
import { type OwnerStore, parseSeat } from '../crm/owners/owner-store.js';

export interface AdminDeps {
  adminSecret: string;
  owners: OwnerStore;
  tokens: TokenStore;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const auth = async (request: FastifyRequest) => {
    const token = bearerToken(request);
    if (!token || !sameSecret(token, deps.adminSecret)) {
      throw new AppError(
        'E_UNAUTHORIZED',
        'The admin API needs the server admin secret (see <dataDir>/server.json).',
      );
    }
  };
  const body = (request: FastifyRequest): Record<string, unknown> => {
    const b = request.body;
    if (b === undefined || b === null) return {};
    if (typeof b !== 'object' || Array.isArray(b)) throw invalid('The request body must be a JSON object.');
    return b as Record<string, unknown>;
  };

  app.get('/admin/v1/health', { preHandler: auth }, async () => ({ status: 'ok', pid: process.pid }));

  app.post('/admin/v1/tokens', { preHandler: auth }, async (request, reply) => {
    const b = body(request);
    const kind = (b['kind'] ?? 'private_app') as TokenKind;
    if (kind !== 'private_app' && kind !== 'developer_api_key') {
      throw invalid('kind must be private_app or developer_api_key.', 'kind');
    }
    const token = await deps.tokens.create(kind, typeof b['label'] === 'string' ? b['label'] : '');
    reply.code(201);
    return { token, kind };
  });

  app.post('/admin/v1/owners', { preHandler: auth }, async (request, reply) => {
    const b = body(request);
    if (typeof b['email'] !== 'string') throw invalid('email is required.', 'email');
    const owner = await deps.owners.add({
      email: b['email'],
      seat: parseSeat(b['seat'] ?? 'none'),
      firstName: typeof b['firstName'] === 'string' ? b['firstName'] : undefined,
      lastName: typeof b['lastName'] === 'string' ? b['lastName'] : undefined,
    });
    reply.code(201);
    return owner;
  });

  app.get('/admin/v1/owners', { preHandler: auth }, async () => {
    const results = [];
    let after: string | undefined;
    do {
      const page = await deps.owners.list({ after, limit: 500 });
      results.push(...page.results);
      after = page.paging?.next.after;
    } while (after);
    return { results };
  });

  app.put<{ Params: { owner: string } }>(
    '/admin/v1/owners/:owner/seat',
    { preHandler: auth },
    async (request) => {
      return deps.owners.setSeat(request.params.owner, parseSeat(body(request)['seat']));
    },
  );
}
