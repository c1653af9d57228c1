/**
 * Bearer-token authentication for the CRM API, answering like HubSpot does: 401
 * `INVALID_AUTHENTICATION` for a missing or unknown token.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { TokenKind, TokenStore } from './token-store.js';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** A preHandler that admits only tokens callscribe issued, of one of the given kinds. */
export function requireToken(tokens: TokenStore, kinds: readonly TokenKind[] = ['private_app']) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) {
      throw new AppError(
        'E_UNAUTHORIZED',
        'Authentication credentials not found. This API supports OAuth 2.0 and private app access tokens (Authorization: Bearer <token>).',
      );
    }
    const kind = await tokens.verify(token);
    if (!kind || !kinds.includes(kind)) {
      throw new AppError(
        'E_UNAUTHORIZED',
        'The access token is not valid: it was not issued by this server.',
      );
    }
  };
}
