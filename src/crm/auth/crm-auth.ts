/**
 * The two ways HubSpot authenticates CRM calls (reference §0): `Authorization: Bearer` with a
 * private-app token on records, owners, associations, transcripts and mark-ready; `?hapikey=`
 * with a developer API key on the app-level calling and recording settings. Both count against
 * the caller's rate limit once authenticated.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { RateLimiter } from '../rate-limit.js';
import { requireToken } from './require-token.js';
import type { TokenStore } from './token-store.js';

export interface CrmAuth {
  /** preHandler for private-app Bearer tokens. */
  bearer(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** preHandler for developer API keys in `?hapikey=`. */
  developerKey(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

function hapikey(request: FastifyRequest): string | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.['hapikey'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function createCrmAuth(deps: { tokens: TokenStore; limiter: RateLimiter }): CrmAuth {
  const privateApp = requireToken(deps.tokens, ['private_app']);
  // Tokens are never revoked (token-store.ts), so an Authorization header that once passed can
  // skip hashing on the hot path. Bounded, so forged headers cannot grow it: only verified ones enter.
  const verified = new Set<string>();
  return {
    async bearer(request, reply) {
      const header = request.headers.authorization ?? '';
      if (!verified.has(header)) {
        await privateApp(request);
        if (verified.size >= 10_000) verified.clear();
        verified.add(header);
      }
      deps.limiter.hit(header, reply);
    },
    async developerKey(request, reply) {
      const key = hapikey(request);
      if (!key) {
        throw new AppError(
          'E_UNAUTHORIZED',
          'This API needs a developer API key in the hapikey query parameter (callscribe token create --developer-api-key).',
        );
      }
      if ((await deps.tokens.verify(key)) !== 'developer_api_key') {
        throw new AppError('E_UNAUTHORIZED', 'The hapikey is not a developer API key issued by this server.');
      }
      deps.limiter.hit(`hapikey:${key}`, reply);
    },
  };
}
