/**
 * HubSpot's v3 request signature (`X-HubSpot-Signature-v3` + `X-HubSpot-Request-Timestamp`), the
 * one HubSpot puts on the requests it sends to apps, such as the authenticated-recording-URL fetch.
 * Pure functions, no I/O: the app backend verifies with them, the pipeline signs with them.
 *
 * Algorithm (docs/reference section 9, HubSpot "Validating requests", v3):
 *   source    = method + uri + body + timestamp        (no separators, UTF-8)
 *   signature = base64(HMAC-SHA256(key = app client secret, source))
 * where `uri` is the full URL called (scheme, host, path, query) with only a fixed set of
 * percent-escapes decoded, and `timestamp` is epoch milliseconds as a string. A request older
 * than five minutes is rejected.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature; HubSpot also spells it `X-HubSpot-Signature-V3` (headers are case-insensitive). */
export const SIGNATURE_V3_HEADER = 'x-hubspot-signature-v3';
/** The header carrying the epoch-millisecond timestamp that is part of the signed source. */
export const REQUEST_TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
/** HubSpot's replay window: requests older than this are rejected. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

// Only these escapes are decoded before signing (reference section 9, step 3); every other
// escape (for example %20 or %25) stays as sent.
const DECODED_ESCAPES: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** Decodes exactly the percent-escapes HubSpot decodes before signing (hex case-insensitive). */
export function normalizeSignedUri(uri: string): string {
  if (!uri.includes('%')) return uri;
  return uri.replace(/%[0-9A-Fa-f]{2}/g, (esc) => DECODED_ESCAPES[esc.toUpperCase()] ?? esc);
}

/** What a v3 signature covers. */
export interface SignedRequestV3 {
  /** HTTP method, upper case as sent (`GET`, `POST`). */
  method: string;
  /** The full URL called: `https://host/path?query`. */
  uri: string;
  /** The raw request body; `''` for GET. */
  body?: string;
  /** `X-HubSpot-Request-Timestamp`: epoch milliseconds, as a string or number. */
  timestamp: string | number;
}

/** Returns base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)). */
export function signHubSpotRequestV3(clientSecret: string, request: SignedRequestV3): string {
  return digestV3(
    clientSecret,
    request.method,
    request.uri,
    request.body ?? '',
    String(request.timestamp),
  ).toString('base64');
}

function digestV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: string,
): Buffer {
  const source = method.toUpperCase() + normalizeSignedUri(uri) + body + timestamp;
  return createHmac('sha256', clientSecret).update(source, 'utf8').digest();
}

/**
 * The two headers to add to a request so an app that verifies v3 signatures accepts it.
 * `now` defaults to `Date.now()`.
 */
export function hubSpotSignatureHeadersV3(
  clientSecret: string,
  request: Omit<SignedRequestV3, 'timestamp'>,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    'X-HubSpot-Signature-v3': signHubSpotRequestV3(clientSecret, { ...request, timestamp }),
    'X-HubSpot-Request-Timestamp': timestamp,
  };
}

/** Why a signature was refused; `ok: true` when it verified. */
export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'bad-timestamp' | 'stale' | 'mismatch'; message: string };

export interface VerifyOptions {
  /** Clock for the replay window, epoch ms. Default `Date.now()`. */
  now?: number;
  /** Replay window in ms. Default {@link SIGNATURE_MAX_AGE_MS} (5 minutes). */
  maxAgeMs?: number;
}

/**
 * Verifies a v3 signature in constant time. `uris` may list several spellings of the URL the
 * request reached (for example as seen through a proxy and as configured); one match suffices.
 * A timestamp further than the window in the future is refused too (clock skew beyond 5 minutes
 * is treated as a replay).
 */
export function verifyHubSpotRequestV3(
  clientSecret: string,
  request: Omit<SignedRequestV3, 'timestamp' | 'uri'> & {
    uris: readonly string[];
    timestamp: string | undefined;
    signature: string | undefined;
  },
  options: VerifyOptions = {},
): SignatureVerdict {
  if (!request.signature || request.timestamp === undefined || request.timestamp === '') {
    return {
      ok: false,
      reason: 'missing',
      message: 'The request has no X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp headers.',
    };
  }
  if (!/^\d{1,15}$/.test(request.timestamp)) {
    return {
      ok: false,
      reason: 'bad-timestamp',
      message: 'X-HubSpot-Request-Timestamp must be epoch milliseconds.',
    };
  }
  const now = options.now ?? Date.now();
  const maxAge = options.maxAgeMs ?? SIGNATURE_MAX_AGE_MS;
  if (Math.abs(now - Number(request.timestamp)) > maxAge) {
    return {
      ok: false,
      reason: 'stale',
      message: `X-HubSpot-Request-Timestamp is more than ${Math.round(maxAge / 1000)} seconds away from now.`,
    };
  }
  // Compare raw digests: decode the given base64 once instead of encoding every candidate.
  const given = Buffer.from(request.signature, 'base64');
  if (given.length === 32 && given.toString('base64') === request.signature) {
    for (const uri of request.uris) {
      const expected = digestV3(clientSecret, request.method, uri, request.body ?? '', request.timestamp);
      if (timingSafeEqual(expected, given)) return { ok: true };
    }
  }
  return {
    ok: false,
    reason: 'mismatch',
    message: 'X-HubSpot-Signature-v3 does not match this request and the configured client secret.',
  };
}
