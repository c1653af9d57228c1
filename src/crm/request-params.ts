/**
 * Query and body helpers shared by the CRM routes. HubSpot's client repeats array parameters
 * (`properties=a&properties=b`) where the docs show comma lists (`properties=a,b`): both work.
 */
import { invalid } from '../core/errors.js';

/** A list parameter given repeated, comma-separated, or both; undefined when absent. */
export function listParam(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `true`/`false` (any case); absent means `fallback`. */
export function boolParam(raw: unknown, name: string, fallback = false): boolean {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined || value === '') return fallback;
  const text = String(value).toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(`${name} must be true or false, not "${String(value)}".`, name);
}

/** A whole number in `[min, max]`; absent means `fallback`. */
export function intParam(
  raw: unknown,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined || value === '') return range.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw invalid(
      `${name} must be a whole number from ${range.min} to ${range.max}, not "${String(value)}".`,
      name,
    );
  }
  return n;
}

/** The last value of a scalar parameter. */
export function stringParam(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === undefined ? undefined : String(value);
}

/** The body as a JSON object, or a 400 naming what was expected. */
export function objectBody(body: unknown, what = 'The request body'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`${what} must be a JSON object.`);
  }
  return body as Record<string, unknown>;
}

/** A positive 64-bit-safe integer id from a path or body. */
export function idParam(raw: unknown, name: string): number {
  const text = String(raw ?? '');
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw invalid(`${name} must be a positive whole number, not "${text}".`, name);
  }
  return n;
}
