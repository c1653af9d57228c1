/** Helpers every blob-store adapter shares: key validation, range checks, the size-limit error. */

import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError, invalid } from '../../core/errors.js';
import type { BlobInfo, ByteRange, GetResult, RangeChoice } from '../../core/ports/blob-store.js';

const SEGMENT = /^[A-Za-z0-9._~-]{1,200}$/;

/** Throws E_VALIDATION unless `key` is `/`-separated safe segments (no `.`, `..`, empty or odd characters). */
export function assertBlobKey(key: string): void {
  const segments = key.split('/');
  if (
    key.length > 1000 ||
    segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..') ||
    segments[0] === '.tmp'
  ) {
    throw invalid(`"${key}" is not a valid blob key.`, 'key');
  }
}

/** The error for a body over `maxBytes`. */
export function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'E_PAYLOAD_TOO_LARGE',
    `The recording is larger than the upload limit of ${maxBytes} bytes (CALLSCRIBE_UPLOAD_LIMIT_MB).`,
  );
}

/**
 * Writes `body` to an open file, stopping with E_PAYLOAD_TOO_LARGE as soon as it passes `maxBytes`,
 * and returns its size and SHA-256. Every adapter spools uploads this way before making them visible.
 */
export async function writeBodyToFile(
  handle: FileHandle,
  body: AsyncIterable<unknown>,
  maxBytes: number | undefined,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk instanceof Uint8Array ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (maxBytes !== undefined && size > maxBytes) throw tooLarge(maxBytes);
    hash.update(bytes);
    let written = 0;
    while (written < bytes.length) {
      written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
    }
  }
  return { size, sha256: hash.digest('hex') };
}

/** Applies a RangeChoice to a blob's info; throws E_RANGE_NOT_SATISFIABLE for a range outside it. */
export function resolveRange(info: BlobInfo, choice: RangeChoice | undefined): ByteRange | undefined {
  const range = typeof choice === 'function' ? choice(info) : choice;
  if (!range) return undefined;
  if (
    !Number.isSafeInteger(range.start) ||
    !Number.isSafeInteger(range.end) ||
    range.start < 0 ||
    range.end < range.start ||
    range.end >= info.size
  ) {
    throw new AppError(
      'E_RANGE_NOT_SATISFIABLE',
      `Bytes ${range.start}-${range.end} lie outside the ${info.size}-byte blob.`,
      { extra: { size: info.size } },
    );
  }
  return range;
}

/** A GetResult whose bytes were read at once: `bytes` is set, `body` is made only if asked for. */
export function withBufferBody(base: { info: BlobInfo; range?: ByteRange }, bytes: Buffer): GetResult {
  let body: Readable | undefined;
  return Object.defineProperties({ ...base, bytes } as GetResult, {
    body: {
      enumerable: true,
      get: () => {
        body ??= Readable.from([bytes], { objectMode: false });
        return body;
      },
    },
  });
}
