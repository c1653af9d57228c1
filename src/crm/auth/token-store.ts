/**
 * Private-app access tokens. Only a SHA-256 hash is stored; the token itself is shown once, at
 * creation. Format follows HubSpot's private-app tokens (`pat-na1-<uuid>`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '../../storage/db/index.js';

export type TokenKind = 'private_app' | 'developer_api_key' | 'admin';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createTokenStore(db: Queryable) {
  // Tokens are never revoked in this version, so a verified hash can be remembered: checking
  // auth must not cost a database round trip on every request.
  const verified = new Map<string, TokenKind>();
  return {
    /** Issues a new token and returns it in clear; it cannot be read back later. */
    async create(kind: TokenKind = 'private_app', label = ''): Promise<string> {
      const token = kind === 'developer_api_key' ? randomUUID() : `pat-na1-${randomUUID()}`;
      await db.query('INSERT INTO access_tokens (token_hash, kind, label) VALUES ($1, $2, $3)', [
        hashToken(token),
        kind,
        label,
      ]);
      return token;
    },

    /** The kind of a presented token, or undefined if callscribe never issued it. */
    async verify(token: string): Promise<TokenKind | undefined> {
      const hash = hashToken(token);
      const known = verified.get(hash);
      if (known) return known;
      const rows = await db.query<{ kind: TokenKind }>(
        'UPDATE access_tokens SET last_used_at = now() WHERE token_hash = $1 RETURNING kind',
        [hash],
      );
      if (rows[0]) verified.set(hash, rows[0].kind);
      return rows[0]?.kind;
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
