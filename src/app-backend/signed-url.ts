/**
 * Unforgeable, short-lived media URLs: `/app/v1/media/{account}/{id}?expires=…&signature=…`,
 * where signature = base64url(HMAC-SHA256(key, "callscribe-media-v1" ‖ account ‖ id ‖ expires)),
 * each field length-prefixed so no two (account, id) pairs share a message. Checked in constant
 * time; a tampered URL is refused before its expiry is even looked at.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/errors.js';

export interface MediaTarget {
  externalAccountId: string;
  externalId: string;
}

export interface MediaUrlSigner {
  /** The path and query of a URL valid until `expiresAt` (epoch seconds). */
  pathFor(target: MediaTarget, expiresAt: number): string;
  /**
   * Checks `expires` and `signature` for `target`. Throws E_URL_SIGNATURE_INVALID (altered, other
   * key, missing) or E_URL_SIGNATURE_EXPIRED (valid but past `expires`). `now` is epoch ms.
   */
  verify(target: MediaTarget, expires: string | undefined, signature: string | undefined, now?: number): void;
}

function message(target: MediaTarget, expires: string): string {
  const a = target.externalAccountId;
  const i = target.externalId;
  return `callscribe-media-v1\n${a.length}:${a}\n${i.length}:${i}\n${expires}`;
}

/** Expiry steps, seconds: a URL lives between `ttl` and `ttl + EXPIRY_STEP_SECONDS`. */
export const EXPIRY_STEP_SECONDS = 10;

/** The expiry (epoch seconds) of a URL issued at `nowMs` with lifetime `ttlSeconds`, rounded up to a step. */
export function expiryFor(nowMs: number, ttlSeconds: number): number {
  return Math.ceil((nowMs / 1000 + ttlSeconds) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
}

export function createMediaUrlSigner(key: string | Buffer): MediaUrlSigner {
  const sign = (target: MediaTarget, expires: string) =>
    createHmac('sha256', key).update(message(target, expires), 'utf8').digest('base64url');
  // The endpoint HubSpot calls hands out the same URL for a recording within one expiry step
  // (see expiryFor), so the HMAC is computed once per step, not on every request.
  const memo = new Map<string, string>();
  return {
    pathFor(target, expiresAt) {
      const expires = String(Math.floor(expiresAt));
      const memoKey = `${expires}\n${target.externalAccountId}\n${target.externalId}`;
      const known = memo.get(memoKey);
      if (known) return known;
      const path =
        `/app/v1/media/${encodeURIComponent(target.externalAccountId)}/${encodeURIComponent(target.externalId)}` +
        `?expires=${expires}&signature=${sign(target, expires)}`;
      if (memo.size >= 10_000) memo.clear();
      memo.set(memoKey, path);
      return path;
    },
    verify(target, expires, signature, now = Date.now()) {
      const refuse = () =>
        new AppError(
          'E_URL_SIGNATURE_INVALID',
          'This media URL is not valid: it was altered or not issued here.',
        );
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) throw refuse();
      const expected = Buffer.from(sign(target, expires));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refuse();
      if (Number(expires) * 1000 <= now) {
        throw new AppError(
          'E_URL_SIGNATURE_EXPIRED',
          'This media URL has expired; ask the recording endpoint for a fresh one.',
        );
      }
    },
  };
}
