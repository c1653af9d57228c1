/**
 * Parsing of the HTTP `Range` header against a file size (RFC 9110 §14). One range is served as
 * 206; several ranges are ignored and the whole file is sent as 200 (RFC 9110 §14.2 lets a server
 * ignore Range; players and HubSpot ask for one range at a time, and multipart/byteranges would
 * cost a second code path for no user) — see docs/decisions/0004.
 */
import type { ByteRange } from '../core/ports/blob-store.js';

export type RangeAnswer =
  /** No Range header, or one we ignore (malformed, another unit, several ranges): send 200 whole. */
  | { kind: 'whole' }
  /** Send 206 with these bytes. */
  | { kind: 'partial'; range: ByteRange }
  /** Send 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const SPEC = /^(\d*)-(\d*)$/;

/** Decides what to send for `header` on a file of `size` bytes. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: 'whole' };
  const specs = match[1]!.split(',').map((s) => s.trim());
  if (specs.length !== 1) return { kind: 'whole' };
  const parts = SPEC.exec(specs[0]!);
  if (!parts) return { kind: 'whole' };
  const [, first, last] = parts as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'whole' };
  // Digits beyond 2^53 are not a position we could ever serve.
  if (first.length > 15 || last.length > 15)
    return first === '' ? { kind: 'whole' } : { kind: 'unsatisfiable' };
  if (first === '') {
    // Suffix range: the last N bytes (RFC 9110 §14.1.2); N = 0 is unsatisfiable.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(size - n, 0), end: size - 1 } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' }; // invalid spec: ignore the header
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', range: { start, end } };
}

/** `If-Range` (RFC 9110 §13.1.5): a Range applies only if the validator still matches. */
export function ifRangeAllows(ifRange: string | undefined, etag: string, lastModified: Date): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag; // strong comparison
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(date / 1000);
}
